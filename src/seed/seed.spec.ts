import { verify } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../test/support/test-database';
import { loadAppConfig } from '../config/app-config';
import { appEntities } from '../app.entities';
import { buildDataSourceOptions } from '../database/data-source-options';
import { DEMO_LOGINS } from '../auth/demo-logins';
import { SCALES } from './scales';
import { seedDatabase } from './seed-database';
import { seedDemoIfEmpty } from './seed-on-start';

/** Every seeded table with the columns that must come out identical on every run. */
const CONTENT_BY_TABLE: Readonly<Record<string, string>> = {
  cities: 't.*',
  categories: 't.*',
  add_ons: 't.*',
  // Password hashes carry random salts, so they are the one column left out.
  users: 't.id, t.email, t.name, t.role, t.created_at',
  venues: 't.*',
  venue_photos: 't.*',
  venue_add_ons: 't.*',
  venue_slots: 't.*',
  venue_blackouts: 't.*',
  venue_price_overrides: 't.*',
  bookings: 't.*',
  reviews: 't.*',
  favorites: 't.*',
  public_holidays: 't.*',
  app_config: 't.*',
};

describe('seed', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const today = new Date();

  const count = async (sql: string): Promise<number> => {
    const [row] = await dataSource.query(`SELECT count(*)::int AS count FROM (${sql}) AS rows`);
    return row.count;
  };
  const checksums = async (): Promise<Record<string, string>> => {
    const entries = await Promise.all(
      Object.entries(CONTENT_BY_TABLE).map(async ([table, columns]) => {
        const [row] = await dataSource.query(
          `SELECT count(*) || ':' || md5(string_agg(row_text, '|' ORDER BY row_text)) AS checksum
             FROM (SELECT ROW(${columns})::text AS row_text FROM ${table} t) AS rows`,
        );
        return [table, row.checksum] as const;
      }),
    );
    return Object.fromEntries(entries);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = new DataSource(buildDataSourceOptions({ url: database.url, poolSize: 4, connectionTimeoutMs: 5000, entities: appEntities }));
    await dataSource.initialize();
    await seedDatabase(dataSource, { scale: SCALES.demo, demoLogins: true, today });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('gives the same rows when the same scale is seeded again', async () => {
    const first = await checksums();
    await seedDatabase(dataSource, { scale: SCALES.demo, demoLogins: true, today });
    expect(await checksums()).toEqual(first);
  });

  it('fills every table within the demo scale', async () => {
    const [counts] = await dataSource.query(`
      SELECT (SELECT count(*) FROM cities)::int AS cities,
             (SELECT count(DISTINCT country_code) FROM cities)::int AS countries,
             (SELECT count(DISTINCT timezone) FROM cities)::int AS timezones,
             (SELECT count(*) FROM categories)::int AS categories,
             (SELECT count(*) FROM add_ons)::int AS add_ons,
             (SELECT count(*) FROM users WHERE role = 'host')::int AS hosts,
             (SELECT count(*) FROM venues)::int AS venues,
             (SELECT count(*) FROM venue_slots)::int AS slots,
             (SELECT count(*) FROM bookings)::int AS bookings,
             (SELECT count(*) FROM bookings WHERE status = 'cancelled')::int AS cancelled,
             (SELECT count(*) FROM reviews)::int AS reviews,
             (SELECT count(*) FROM venue_photos)::int AS photos,
             (SELECT count(*) FROM venue_add_ons)::int AS venue_add_ons,
             (SELECT count(*) FROM venue_blackouts)::int AS blackouts,
             (SELECT count(*) FROM venue_price_overrides)::int AS overrides,
             (SELECT count(*) FROM favorites)::int AS favorites,
             (SELECT count(*) FROM app_config)::int AS app_config`);
    expect(counts).toMatchObject({ cities: 5, countries: 5, timezones: 5, categories: 8, add_ons: 12, hosts: 40, venues: 2000 });
    expect(counts.slots).toBeGreaterThanOrEqual(2000 * 7);
    expect(counts.slots).toBeLessThanOrEqual(2000 * 7 * 4);
    expect(counts.bookings).toBeGreaterThan(40_000);
    expect(counts.bookings).toBeLessThan(100_000);
    expect(counts.cancelled).toBeGreaterThan(0);
    expect(counts.reviews).toBeGreaterThan(10_000);
    expect(counts.reviews).toBeLessThan(2000 * 20);
    for (const table of ['photos', 'venue_add_ons', 'blackouts', 'overrides', 'favorites'] as const) {
      expect(counts[table]).toBeGreaterThan(0);
    }
    expect(counts.photos).toBeLessThanOrEqual(2000 * 6);
    expect(counts.venue_add_ons).toBeLessThanOrEqual(2000 * 5);
    expect(counts.app_config).toBeGreaterThanOrEqual(4);
  });

  it('leaves the serial sequences ahead of the ids it wrote', async () => {
    const [city] = await dataSource.query(
      `INSERT INTO cities (slug, name, country_code, timezone, lat, lng)
       VALUES ('test-town', 'Test Town', 'DE', 'Europe/Berlin', 50, 10) RETURNING id`,
    );
    expect(city.id).toBe(6);
    await dataSource.query(`DELETE FROM cities WHERE id = $1`, [city.id]);
  });

  it('keeps each venue rating and review count equal to its reviews', async () => {
    const mismatches = await count(`
      SELECT v.id FROM venues v
        LEFT JOIN (SELECT venue_id, count(*) AS reviews, round(avg(rating), 1) AS rating FROM reviews GROUP BY venue_id) r
               ON r.venue_id = v.id
       WHERE v.review_count <> coalesce(r.reviews, 0) OR v.rating IS DISTINCT FROM r.rating`);
    expect(mismatches).toBe(0);
    expect(await count(`SELECT 1 FROM venues WHERE review_count = 0`)).toBeGreaterThan(0);
    expect(await count(`SELECT 1 FROM reviews GROUP BY venue_id, user_id HAVING count(*) > 1`)).toBe(0);
  });

  it('books only open days, on a slot of that weekday, within capacity, at the SPEC price', async () => {
    expect(await count(`SELECT 1 FROM bookings b JOIN venue_blackouts o USING (venue_id, date)`)).toBe(0);
    expect(
      await count(`
        SELECT 1 FROM bookings b
          JOIN venues v ON v.id = b.venue_id
          JOIN cities c ON c.id = v.city_id
          JOIN public_holidays h ON h.date = b.date
                                AND (h.city_id = c.id OR (h.city_id IS NULL AND h.country_code = c.country_code))`),
    ).toBe(0);
    expect(
      await count(`SELECT 1 FROM bookings b JOIN venue_slots s ON s.id = b.slot_id WHERE extract(dow FROM b.date) <> s.weekday`),
    ).toBe(0);
    expect(
      await count(`SELECT 1 FROM bookings b JOIN venues v ON v.id = b.venue_id WHERE b.guests NOT BETWEEN v.min_capacity AND v.max_capacity`),
    ).toBe(0);
    expect(
      await count(`
        SELECT 1 FROM bookings b
          JOIN venues v ON v.id = b.venue_id
          JOIN venue_slots s ON s.id = b.slot_id
          LEFT JOIN venue_price_overrides o ON o.venue_id = b.venue_id AND o.date = b.date
         WHERE b.total_price_cents <> coalesce(o.price_cents, s.price_cents, v.base_price_cents)
               + (SELECT coalesce(sum(a.price_cents), 0) FROM venue_add_ons a
                   WHERE a.venue_id = b.venue_id AND a.add_on_id = ANY (b.add_on_ids))
            OR cardinality(b.add_on_ids) <> (SELECT count(*) FROM venue_add_ons a
                                              WHERE a.venue_id = b.venue_id AND a.add_on_id = ANY (b.add_on_ids))`),
    ).toBe(0);
  });

  it('places bookings over the next 60 days at about 20% occupancy, one confirmed per slot and date', async () => {
    const [window] = await dataSource.query(
      `SELECT min(date) - $1::date AS first_day, max(date) - $1::date AS last_day FROM bookings`,
      [today.toISOString().slice(0, 10)],
    );
    // Not exactly 1..60: a day when every demo country has a holiday (New Year) has no bookings.
    expect(window.first_day).toBeGreaterThanOrEqual(1);
    expect(window.first_day).toBeLessThanOrEqual(2);
    expect(window.last_day).toBeGreaterThanOrEqual(59);
    expect(window.last_day).toBeLessThanOrEqual(60);
    expect(
      await count(`SELECT 1 FROM bookings WHERE status = 'confirmed' GROUP BY venue_id, slot_id, date HAVING count(*) > 1`),
    ).toBe(0);
    const [{ occupancy }] = await dataSource.query(
      `SELECT (SELECT count(*) FROM bookings WHERE status = 'confirmed')::float
              / (SELECT count(*) FROM venue_slots s
                   JOIN generate_series($1::date + 1, $1::date + 60, interval '1 day') AS day
                     ON extract(dow FROM day) = s.weekday) AS occupancy`,
      [today.toISOString().slice(0, 10)],
    );
    expect(occupancy).toBeGreaterThan(0.15);
    expect(occupancy).toBeLessThan(0.22);
  });

  it('has the fixed-date public holidays of this year and next, national and city-only', async () => {
    const year = today.getUTCFullYear();
    const rows: Array<{ country_code: string; year: number; national: number; city_only: number }> = await dataSource.query(`
      SELECT c.country_code, extract(year FROM h.date)::int AS year,
             count(*) FILTER (WHERE h.city_id IS NULL)::int AS national,
             count(*) FILTER (WHERE h.city_id IS NOT NULL)::int AS city_only
        FROM (SELECT DISTINCT country_code FROM cities) c
        JOIN public_holidays h USING (country_code)
       GROUP BY 1, 2`);
    for (const countryCode of ['DE', 'GB', 'US', 'JP', 'AU']) {
      for (const holidayYear of [year, year + 1]) {
        const found = rows.find((row) => row.country_code === countryCode && row.year === holidayYear);
        expect(found?.national).toBeGreaterThanOrEqual(3);
      }
    }
    const [germanUnity] = await dataSource.query(
      `SELECT name FROM public_holidays WHERE country_code = 'DE' AND city_id IS NULL AND date = make_date($1, 10, 3)`,
      [year + 1],
    );
    expect(germanUnity).toEqual({ name: 'Tag der Deutschen Einheit' });
    expect(rows.find((row) => row.country_code === 'DE' && row.year === year)?.city_only).toBeGreaterThan(0);
  });

  it('creates demo logins whose passwords verify with argon2', async () => {
    for (const login of DEMO_LOGINS) {
      const [user] = await dataSource.query(`SELECT role, password_hash FROM users WHERE lower(email) = $1`, [login.email]);
      expect(user.role).toBe(login.role);
      await expect(verify(user.password_hash, login.password)).resolves.toBe(true);
      await expect(verify(user.password_hash, 'wrong-password')).resolves.toBe(false);
    }
  });

  it('leaves a database that has venues alone at start-up', async () => {
    await dataSource.query(`UPDATE app_config SET value = '61' WHERE key = 'discovery.cache_ttl_seconds'`);
    await expect(seedDemoIfEmpty(dataSource, loadAppConfig({ NODE_ENV: 'test' }))).resolves.toBe(true);
    const [setting] = await dataSource.query(`SELECT value FROM app_config WHERE key = 'discovery.cache_ttl_seconds'`);
    expect(setting.value).toBe(61);
  });

  it('seeds an empty database at start-up without demo logins in production', async () => {
    await dataSource.query('TRUNCATE venues, users RESTART IDENTITY CASCADE');
    // Production's other required settings (secrets) are no concern of the seed.
    const production = Object.assign(loadAppConfig({ NODE_ENV: 'test' }), { NODE_ENV: 'production' as const });
    await expect(seedDemoIfEmpty(dataSource, production)).resolves.toBe(false);
    expect(await count(`SELECT 1 FROM venues`)).toBe(2000);
    expect(await count(`SELECT 1 FROM users WHERE lower(email) IN ('demo@example.com', 'admin@example.com')`)).toBe(0);
    expect(await count(`SELECT 1 FROM users WHERE role = 'admin'`)).toBe(0);
  });

  it('seeds once when several API instances start together on an empty database', async () => {
    await dataSource.query('TRUNCATE venues RESTART IDENTITY CASCADE');
    const startUp = () => seedDatabase(dataSource, { scale: SCALES.demo, demoLogins: false, onlyIfEmpty: true });
    const results = await Promise.all([startUp(), startUp()]);
    expect(results.map((result) => result.seeded).sort()).toEqual([false, true]);
    expect(await count(`SELECT 1 FROM venues`)).toBe(2000);
  });
});
