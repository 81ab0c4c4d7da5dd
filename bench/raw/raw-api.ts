import { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { AvailabilityRepository } from '../../src/venue-domain/availability.repository';
import { requestFingerprint } from '../../src/bookings/idempotency-key';
import { BookingsRepository } from '../../src/bookings/bookings.repository';
import { ReferenceRepository, type CatalogCity } from '../../src/reference/reference.repository';
import { addDays } from '../../src/common/calendar-date';
import { DiscoveryRepository, type VenueSearch } from '../../src/discovery/discovery.repository';
import { VenuesRepository } from '../../src/venues/venues.repository';
import type { BookableSlot } from '../fixtures';
import type { RequestTally } from '../measure';
import { DETAIL_DAYS, type DiscoveryParams } from '../workloads';

/** The API's default DB_POOL_SIZE. */
const POOL_SIZE = 10;
const PAGE_SIZE = 20;
/** The API's default IDEMPOTENCY_KEY_TTL_S. */
const IDEMPOTENCY_KEY_TTL_S = 86_400;
/** Counted apart, as the API's profiler does. */
const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i;

interface Catalog {
  cities: Map<string, CatalogCity>;
  categories: Map<string, number>;
  addOns: Map<string, number>;
}

/** An EntityManager as far as the repositories use one: `query` on one pg client, counting statements. */
function countingManager(client: PoolClient, tally: RequestTally): EntityManager {
  const query = async (sql: string, values?: unknown[]) => {
    if (!TRANSACTION_CONTROL.test(sql)) tally.statements += 1;
    return (await client.query(sql, values)).rows;
  };
  return { query } as unknown as EntityManager;
}

/**
 * The floor: the API's own statements, built by its own repository classes (so they are the
 * statements the API sends, never a copy that drifts), sent through `pg` on one pooled
 * connection per request, with no Nest, no TypeORM and no response building. What the API keeps
 * in memory (slug catalog, holiday calendar) is loaded once here too.
 */
export class RawApi {
  private readonly discoveryRepository = new DiscoveryRepository();
  private readonly availability = new AvailabilityRepository();
  private readonly venues = new VenuesRepository();
  /** Its transaction-bound methods never touch the DataSource it is constructed with. */
  private readonly bookings = new BookingsRepository(undefined as unknown as DataSource);

  private constructor(
    private readonly pool: Pool,
    private readonly catalog: Catalog,
    private readonly holidays: Set<string>,
  ) {}

  static async connect(url: string): Promise<RawApi> {
    const pool = new Pool({ connectionString: url, max: POOL_SIZE, application_name: 'venues-bench-raw' });
    const rows = await new ReferenceRepository({ query: (sql: string) => pool.query(sql).then((result) => result.rows) } as unknown as DataSource).findCatalog();
    const catalog: Catalog = {
      cities: new Map(rows.cities.map((city) => [city.slug, city])),
      categories: new Map(rows.categories.map((category) => [category.slug, category.id])),
      addOns: new Map(rows.addOns.map((addOn) => [addOn.slug, addOn.id])),
    };
    const { rows: holidayRows } = await pool.query<{ key: string }>(
      `SELECT CASE WHEN city_id IS NULL THEN 'country:' || country_code ELSE 'city:' || city_id END || ':' || to_char(date, 'YYYY-MM-DD') AS key
       FROM public_holidays`,
    );
    return new RawApi(pool, catalog, new Set(holidayRows.map((row) => row.key)));
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private isHoliday(city: { id: number; countryCode: string }, date: string): boolean {
    return this.holidays.has(`city:${city.id}:${date}`) || this.holidays.has(`country:${city.countryCode}:${date}`);
  }

  private async inSession(work: (manager: EntityManager, client: PoolClient) => Promise<void>): Promise<RequestTally> {
    const tally: RequestTally = { statements: 0, sessions: 1 };
    const client = await this.pool.connect();
    try {
      await work(countingManager(client, tally), client);
    } finally {
      client.release();
    }
    return tally;
  }

  /** DiscoveryService.compute on a miss: the page statement, then the page's availability unless every venue is closed. */
  discovery(params: DiscoveryParams): Promise<RequestTally> {
    const search = this.venueSearch(params);
    return this.inSession(async (manager) => {
      const page = await this.discoveryRepository.searchVenues(manager, search);
      const date = params.date;
      if (!date) return;
      const open = page.venues.filter((venue) => !this.isHoliday({ id: venue.cityId, countryCode: venue.countryCode }, date)).map((venue) => venue.id);
      if (open.length > 0) await this.availability.availabilityFor(manager, open, [date]);
    });
  }

  private venueSearch(params: DiscoveryParams): VenueSearch {
    const city = params.city === undefined ? undefined : this.catalog.cities.get(params.city);
    const ids = (slugs: string[] | undefined, index: Map<string, number>) => slugs?.map((slug) => index.get(slug)!);
    const holidayCityIds = (date: string) =>
      (city ? [city] : [...this.catalog.cities.values()]).filter((candidate) => this.isHoliday(candidate, date)).map((closed) => closed.id);
    const page = params.page ?? 1;
    return {
      cityId: city?.id,
      guests: params.guests,
      minCapacity: params.minCapacity,
      maxCapacity: params.maxCapacity,
      categoryIds: ids(params.category, this.catalog.categories),
      addOnIds: ids(params.addOns, this.catalog.addOns),
      minPrice: params.minPrice,
      maxPrice: params.maxPrice,
      instantBook: params.instantBook,
      position: params.lat !== undefined && params.lng !== undefined ? { lat: params.lat, lng: params.lng } : undefined,
      radiusKm: params.radiusKm,
      availableOn: params.onlyAvailable && params.date ? { date: params.date, holidayCityIds: holidayCityIds(params.date) } : undefined,
      sort: params.sort ?? 'relevance',
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    };
  }

  /** VenuesService.loadInOneSession: the venue with its reviews, the days' availability, the viewer's state. */
  detail(venueSlug: string, userId: number): Promise<RequestTally> {
    return this.inSession(async (manager) => {
      const venue = await this.venues.findDetail(manager, { slug: venueSlug });
      if (!venue) throw new Error(`no active venue ${venueSlug}`);
      const dates = Array.from({ length: DETAIL_DAYS }, (_, offset) => addDays(venue.today, offset));
      await this.availability.availabilityFor(manager, [venue.id], dates);
      await this.venues.viewerState(manager, venue.id, userId, venue.today);
    });
  }

  /** BookingsService.book with an Idempotency-Key, success path: claim, venue, slot price, insert, in one transaction. */
  booking(slot: BookableSlot, userId: number, idempotencyKey: string): Promise<RequestTally> {
    return this.inSession(async (manager, client) => {
      await client.query('BEGIN');
      try {
        const fingerprint = requestFingerprint([slot.venueSlug, slot.date, slot.slot, slot.guests, []]);
        const claim = await this.bookings.claimIdempotencyKey(manager, userId, idempotencyKey, fingerprint, IDEMPOTENCY_KEY_TTL_S);
        if (claim.kind !== 'claimed') throw new Error(`idempotency key ${idempotencyKey}: ${claim.kind}`);
        const venue = await this.bookings.findBookingVenue(manager, { slug: slot.venueSlug }, slot.date, []);
        if (!venue) throw new Error(`no active venue ${slot.venueSlug}`);
        const offered = await this.availability.availabilityFor(manager, [venue.id], [slot.date]);
        const priced = offered.find((candidate) => candidate.code === slot.slot);
        if (!priced || priced.booked) throw new Error(`slot ${slot.slot} of ${slot.venueSlug} on ${slot.date} is not bookable`);
        const outcome = await this.bookings.insertBooking(manager, {
          venueId: venue.id,
          userId,
          date: slot.date,
          slot: slot.slot,
          guests: slot.guests,
          addOnIds: [],
          totalPriceCents: priced.priceCents,
          idempotencyKey,
        });
        if (outcome.kind !== 'created') throw new Error(`booking ${slot.venueSlug} ${slot.date} ${slot.slot}: ${outcome.kind}`);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    });
  }
}
