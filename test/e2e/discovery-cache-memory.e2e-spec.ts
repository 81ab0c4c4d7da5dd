import { ReferenceCatalog } from '../../src/reference/reference-catalog';
import { factories } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/** A few responses' worth: the misses below overflow it several times. */
const MAX_BYTES = 8_000;
const DISTINCT_QUERIES = 20;

describe('discovery response cache in process memory: bounded in bytes, counted in /metrics', () => {
  let t: TestApp;

  const get = (guests: number) => t.http.get(`/v1/discovery/venues?city=braga&guests=${guests}`).expect(200);

  /** The unlabelled discovery_cache_* series of /metrics. */
  async function cacheMetrics(): Promise<Record<string, number>> {
    const { text } = await t.http.get('/metrics').expect(200);
    return Object.fromEntries([...text.matchAll(/^(discovery_cache_\w+) (\S+)$/gm)].map(([, name, value]) => [name, Number(value)]));
  }

  beforeAll(async () => {
    // The bound is the in-process store's: without REDIS_URL even when the suite runs with one.
    t = await startTestApp({ env: { REDIS_URL: '', DISCOVERY_CACHE_MAX_BYTES: String(MAX_BYTES) } });
    const f = factories(t.dataSource);
    const host = await f.newUser({ role: 'host' });
    const category = await f.newCategory({ slug: 'loft' });
    const city = await f.newCity({ slug: 'braga', countryCode: 'PT' });
    for (let i = 0; i < 3; i++) await f.newVenue({ cityId: city.id, categoryId: category.id, hostId: host.id });
    await t.app.get(ReferenceCatalog).refresh();
  });

  afterAll(() => t.close());

  it('holds at most DISCOVERY_CACHE_MAX_BYTES, evicting the least recently used, and /metrics counts entries, bytes and evictions', async () => {
    expect(await cacheMetrics()).toEqual({
      discovery_cache_entries: 0,
      discovery_cache_bytes: 0,
      discovery_cache_max_bytes: MAX_BYTES,
      discovery_cache_evictions_total: 0,
    });
    let bodyBytes = 0;
    for (let guests = 1; guests <= DISTINCT_QUERIES; guests++) {
      const response = await get(guests);
      expect(response.headers['x-cache']).toBe('MISS');
      bodyBytes += Buffer.byteLength(response.text);
      expect((await cacheMetrics()).discovery_cache_bytes).toBeLessThanOrEqual(MAX_BYTES);
    }
    expect(bodyBytes).toBeGreaterThan(2 * MAX_BYTES);

    const metrics = await cacheMetrics();
    expect(metrics.discovery_cache_bytes).toBeGreaterThan(0);
    expect(metrics.discovery_cache_evictions_total).toBeGreaterThan(0);
    // Every response and the city's data version went in once; each is either still there or was evicted.
    expect(metrics.discovery_cache_entries + metrics.discovery_cache_evictions_total).toBe(DISTINCT_QUERIES + 1);

    expect((await get(DISTINCT_QUERIES)).headers['x-cache']).toBe('HIT');
    expect((await get(1)).headers['x-cache']).toBe('MISS');
    expect((await cacheMetrics()).discovery_cache_evictions_total).toBeGreaterThan(metrics.discovery_cache_evictions_total);
  });
});
