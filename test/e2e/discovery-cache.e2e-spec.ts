import { ReferenceCatalog } from '../../src/reference/reference-catalog';
import { DiscoveryCache } from '../../src/discovery/discovery-cache';
import { AppSettings } from '../../src/reference/app-settings';
import { CityRow, factories, Factories } from '../support/factories';
import { expectToMatchOpenApi } from '../support/openapi';
import { expectQueryBaseline } from '../support/query-baseline';
import { parseServerTiming } from '../support/server-timing';
import { startTestApp, TestApp } from '../support/test-app';

const STRONG_ETAG = /^"[A-Za-z0-9_-]{16,}"$/;

describe('discovery response cache (SPEC §4)', () => {
  let t: TestApp;
  let f: Factories;
  let city: CityRow;
  let venue: (fields?: { basePriceCents?: number }) => Promise<unknown>;

  const get = (query: string) => t.http.get(`/v1/discovery/venues?${query}`);

  beforeAll(async () => {
    t = await startTestApp();
    f = factories(t.dataSource);
    const host = await f.newUser({ role: 'host' });
    const category = await f.newCategory({ slug: 'loft' });
    await f.newCategory({ slug: 'barn' });
    city = await f.newCity({ slug: 'porto', countryCode: 'PT' });
    await f.newCity({ slug: 'faro', countryCode: 'PT' });
    venue = (fields = {}) => f.newVenue({ cityId: city.id, categoryId: category.id, hostId: host.id, ...fields });
    for (let i = 0; i < 3; i++) await venue();
    await t.app.get(ReferenceCatalog).refresh();
  });

  afterAll(() => t.close());

  it('computes a miss, then serves the same bytes from the cache with no statement and no session', async () => {
    const miss = await get('city=porto&pageSize=2').expect(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(miss.headers['x-db-sessions']).toBe('1');
    expect(parseServerTiming(miss.headers['server-timing']).find((metric) => metric.name === 'cache')?.desc).toBe('miss');

    const hit = await get('city=porto&pageSize=2').expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.text).toBe(miss.text);
    expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hit.headers['x-query-count']).toBe('0');
    expect(hit.headers['x-db-sessions']).toBe('0');
    expect(parseServerTiming(hit.headers['server-timing']).find((metric) => metric.name === 'cache')?.desc).toBe('hit');
    expectQueryBaseline('discovery: cache hit', hit);
    expectToMatchOpenApi(t.openApi, hit);
  });

  it('sends Cache-Control with the TTL and a strong ETag that changes with the body', async () => {
    const first = await get('city=porto&page=1').expect(200);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    expect(first.headers.etag).toMatch(STRONG_ETAG);
    const second = await get('city=porto&page=2&pageSize=1').expect(200);
    expect(second.headers.etag).toMatch(STRONG_ETAG);
    expect(second.headers.etag).not.toBe(first.headers.etag);
  });

  it('answers If-None-Match with the current ETag by a bodiless 304, and a stale one with the body', async () => {
    const fresh = await get('city=porto&sort=price_desc').expect(200);
    const notModified = await get('city=porto&sort=price_desc').set('If-None-Match', fresh.headers.etag).expect(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(fresh.headers.etag);
    expect(notModified.headers['x-query-count']).toBe('0');
    expectToMatchOpenApi(t.openApi, notModified);

    const changed = await get('city=porto&sort=price_desc').set('If-None-Match', '"not-the-current-etag"').expect(200);
    expect(changed.text).toBe(fresh.text);
  });

  it.each([
    ['parameter order', 'city=porto&sort=price_asc&pageSize=5&guests=2', 'guests=2&pageSize=5&sort=price_asc&city=porto'],
    ['defaults spelled out', 'city=porto&minPrice=100', 'minPrice=100&city=porto&page=1&pageSize=20&sort=relevance'],
    ['0 and empty values', 'city=porto&maxPrice=900000', 'city=porto&maxPrice=900000&guests=0&minCapacity=&category='],
    ['list order and form', 'city=porto&category=loft,barn', 'category=barn&category=loft&city=porto'],
    ['duplicate list items', 'city=porto&category=barn', 'category=barn,barn&city=porto'],
    ['boolean spelling', 'city=porto&instantBook=false', 'city=porto&instantBook=0'],
    ['number spelling', 'lat=41.15&lng=-8.61&radiusKm=20', 'lng=-8.610&lat=41.150&radiusKm=20.0'],
  ])('shares one entry between spellings of one query (%s)', async (_case, first, second) => {
    expect((await get(first).expect(200)).headers['x-cache']).toBe('MISS');
    expect((await get(second).expect(200)).headers['x-cache']).toBe('HIT');
  });

  it('computes concurrent misses for one key once', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, () => get('city=porto&sort=capacity_desc')));
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(200));
    expect(responses.filter((response) => response.headers['x-cache'] === 'MISS')).toHaveLength(1);
    const statements = responses.reduce((total, response) => total + Number(response.headers['x-query-count']), 0);
    expect(statements).toBe(1);
    expect(new Set(responses.map((response) => response.text)).size).toBe(1);
  });

  it("keeps each city's entries apart, and a version bump makes only that city's responses recompute", async () => {
    await get('city=porto&sort=rating').expect(200);
    await get('city=faro&sort=rating').expect(200);
    await venue({ basePriceCents: 1 });

    const stale = await get('city=porto&sort=rating').expect(200);
    expect(stale.headers['x-cache']).toBe('HIT');
    await t.app.get(DiscoveryCache).bumpCityVersion(city.id);

    const fresh = await get('city=porto&sort=rating').expect(200);
    expect(fresh.headers['x-cache']).toBe('MISS');
    expect(fresh.body.meta.total).toBe(stale.body.meta.total + 1);
    expect((await get('city=faro&sort=rating').expect(200)).headers['x-cache']).toBe('HIT');
  });

  it('makes position-only searches, which span cities, recompute on any city bump', async () => {
    await get('lat=41.15&lng=-8.61&sort=distance').expect(200);
    expect((await get('lat=41.15&lng=-8.61&sort=distance').expect(200)).headers['x-cache']).toBe('HIT');
    await t.app.get(DiscoveryCache).bumpCityVersion(city.id);
    expect((await get('lat=41.15&lng=-8.61&sort=distance').expect(200)).headers['x-cache']).toBe('MISS');
  });

  it('caches nothing for a 400', async () => {
    const response = await get('city=porto&guests=abc').expect(400);
    expect(response.headers['x-cache']).toBeUndefined();
    expect(response.headers.etag).toBeUndefined();
  });

  it('takes the TTL from app_config, in seconds, and lets entries expire after it', async () => {
    await t.dataSource.query(`INSERT INTO app_config (key, value) VALUES ('discovery.cache_ttl_seconds', '1')`);
    await t.app.get(AppSettings).refresh();
    try {
      const miss = await get('city=porto&sort=price_asc&pageSize=3').expect(200);
      expect(miss.headers['cache-control']).toBe('public, max-age=1');
      expect((await get('city=porto&sort=price_asc&pageSize=3').expect(200)).headers['x-cache']).toBe('HIT');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await get('city=porto&sort=price_asc&pageSize=3').expect(200)).headers['x-cache']).toBe('MISS');
    } finally {
      await t.dataSource.query(`DELETE FROM app_config WHERE key = 'discovery.cache_ttl_seconds'`);
      await t.app.get(AppSettings).refresh();
    }
  });
});
