import { once } from 'node:events';
import { AddressInfo, createServer } from 'node:net';
import type { Response } from 'supertest';
import { SharedCacheStore } from '../../src/cache/shared-cache-store';
import { eventually } from '../support/eventually';
import { expectToMatchOpenApi } from '../support/openapi';
import { ProfilingFixturesModule } from '../support/profiling-fixtures';
import { startTestApp, TEST_PROFILER_TOKEN, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/*
 * Issue 11 item 5 and the JSON behind item 6: profiles shared across instances through Redis
 * (which ones, where any instance finds them), the list's filters and the per-route summary.
 * Needs Redis at REDIS_URL, else redis://127.0.0.1:6379 (as in CI). Each app's keys live under
 * the namespace of its own test database, so parallel test files never see them.
 */
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const PROFILER = { 'x-profiler-token': TEST_PROFILER_TOKEN };
/** Requests with N+1 and over budget answer 200 with the problem in the profile, so they can be listed. */
const LENIENT = { PROFILER_STRICT: 'false' };
const N_PLUS_ONE = '/v1/_test/n-plus-one/sequential?n=4';
const TWO_STATEMENTS = '/v1/_test/two-statements';

const requestId = (response: Response): string => response.headers['x-request-id'];

/** A port the system just handed out and that nothing listens on any more. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await once(server.close(), 'close');
  return port;
}

/** Ids of the profiles `t`'s deployment keeps in Redis, read from the keys themselves. */
async function sharedProfileIds(t: TestApp): Promise<string[]> {
  const shared = t.app.get(SharedCacheStore);
  const prefix = shared.key('profiler', 'profile', '');
  const keys = (await shared.run((client) => client.keys(`${prefix}*`))) ?? [];
  return keys.map((key) => key.slice(prefix.length)).sort();
}

/** Shared profiles outlive the test database by their TTL: each suite removes its own. */
async function dropSharedProfiles(t: TestApp): Promise<void> {
  const shared = t.app.get(SharedCacheStore);
  const keys = (await shared.run((client) => client.keys(shared.key('profiler', '*')))) ?? [];
  if (keys.length > 0) await shared.run((client) => client.del(keys));
}

/**
 * Writes go out after each response, one command per profile on one connection, in the order the
 * requests finished: once `marker`'s profile is in Redis, every earlier request's would be too.
 */
async function sharedAfter(t: TestApp, marker: string): Promise<string[]> {
  await eventually(async () => (await sharedProfileIds(t)).includes(marker), `profile ${marker} in Redis`);
  return sharedProfileIds(t);
}

describe(`profiles shared across instances through Redis (${REDIS_URL})`, () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { ...LENIENT, REDIS_URL, PROFILER_SAMPLE_RATE: '0' };
    a = await startTestApp({ database, env, imports: [ProfilingFixturesModule] });
    b = await startTestApp({ database, env, imports: [ProfilingFixturesModule] });
  });
  afterAll(async () => {
    if (a) await dropSharedProfiles(a);
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('answer on instance B for a request instance A profiled, findings included', async () => {
    const id = requestId(await a.http.get(N_PLUS_ONE).expect(200));

    await sharedAfter(a, id);
    const profile = await b.http.get(`/v1/_profiler/requests/${id}`).set(PROFILER).expect(200);
    expectToMatchOpenApi(b.openApi, profile);
    expect(profile.body).toMatchObject({ id, route: '/v1/_test/n-plus-one/sequential', status: 200, statementCount: 4, problems: { nPlusOne: 1 } });
    expect(profile.body.findings).toEqual([expect.objectContaining({ kind: 'n+1', count: 4, distinctValues: 4 })]);
    expect(profile.body.statementTexts).toBeUndefined();

    const listed = await b.http.get('/v1/_profiler/requests').set(PROFILER).expect(200);
    expectToMatchOpenApi(b.openApi, listed);
    expect(listed.body.data.map((summary: { id: string }) => summary.id)).toContain(id);
  });

  it("keep each route's slowest shared requests in an index, and every shared profile with the TTL", async () => {
    const id = requestId(await a.http.get(N_PLUS_ONE).expect(200));
    await sharedAfter(a, id);
    const shared = a.app.get(SharedCacheStore);

    const worst = await shared.run((client) => client.zRange(shared.key('profiler', 'worst', '/v1/_test/n-plus-one/sequential'), 0, -1));
    expect(worst).toContain(id);
    const secondsLeft = await shared.run((client) => client.ttl(shared.key('profiler', 'profile', id)));
    expect(secondsLeft).toBeGreaterThan(0);
    expect(secondsLeft).toBeLessThanOrEqual(a.config.PROFILER_SHARED_TTL_S);
  });

  it('share only interesting profiles with sampling off: a plain request stays on its instance', async () => {
    const plain = requestId(await a.http.get(TWO_STATEMENTS).expect(200));
    const overBudget = requestId(await a.http.get('/v1/_test/budget/blown').expect(200));

    const shared = await sharedAfter(a, overBudget);
    expect(shared).not.toContain(plain);
    await b.http.get(`/v1/_profiler/requests/${plain}`).set(PROFILER).expect(404);
    await a.http.get(`/v1/_profiler/requests/${plain}`).set(PROFILER).expect(200);
  });

  it('share a request that asked for it with the profiler token, not one with a wrong token', async () => {
    const wrongToken = requestId(await a.http.get(TWO_STATEMENTS).set('x-profiler-capture', 'not-the-profiler-token').expect(200));
    const captured = requestId(await a.http.get(TWO_STATEMENTS).set('x-profiler-capture', TEST_PROFILER_TOKEN).expect(200));

    const shared = await sharedAfter(a, captured);
    expect(shared).not.toContain(wrongToken);
    await b.http.get(`/v1/_profiler/requests/${captured}`).set(PROFILER).expect(200);
  });

  it("list another instance's shared profiles under a route filter", async () => {
    const id = requestId(await a.http.get(N_PLUS_ONE).expect(200));
    await sharedAfter(a, id);

    const listed = await b.http.get('/v1/_profiler/requests').query({ route: '/v1/_test/n-plus-one/sequential', problems: 'true' }).set(PROFILER).expect(200);
    const ids = listed.body.data.map((summary: { id: string }) => summary.id);
    expect(ids).toContain(id);
    expect(new Set(listed.body.data.map((summary: { route: string }) => summary.route))).toEqual(new Set(['/v1/_test/n-plus-one/sequential']));
  });
});

describe('sampling every request (PROFILER_SAMPLE_RATE=1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { REDIS_URL, PROFILER_SAMPLE_RATE: '1' }, imports: [ProfilingFixturesModule] });
  });
  afterAll(async () => {
    await dropSharedProfiles(t);
    await t.close();
  });

  it('shares plain requests too', async () => {
    const first = requestId(await t.http.get(TWO_STATEMENTS).expect(200));
    const second = requestId(await t.http.get(TWO_STATEMENTS).expect(200));
    expect(await sharedAfter(t, second)).toEqual([first, second].sort());
  });
});

describe('with Redis down (REDIS_URL on a closed port): requests and profiles from memory', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  let nPlusOneResponse: Response;

  beforeAll(async () => {
    t = await startTestApp({
      // No idle-session flag by chance: which requests have a problem is then fixed by the routes.
      env: { ...LENIENT, REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, PROFILER_SAMPLE_RATE: '1', PROFILER_IDLE_SESSION_MS: '60000' },
      imports: [ProfilingFixturesModule],
    });
    for (const name of ['plain-1', 'plain-2', 'plain-3']) ids[name] = requestId(await t.http.get(TWO_STATEMENTS).expect(200));
    nPlusOneResponse = await t.http.get(N_PLUS_ONE).expect(200);
    ids.nPlusOne = requestId(nPlusOneResponse);
    ids.overBudget = requestId(await t.http.get('/v1/_test/budget/blown').expect(200));
    ids.notFound = requestId(await t.http.get('/v1/_test/no-such-route').expect(404));
  });
  afterAll(() => t.close());

  const list = async (query: Record<string, string>): Promise<Response> => {
    const response = await t.http.get('/v1/_profiler/requests').query(query).set(PROFILER).expect(200);
    expectToMatchOpenApi(t.openApi, response);
    return response;
  };
  const listedIds = async (query: Record<string, string>): Promise<string[]> =>
    (await list(query)).body.data.map((summary: { id: string }) => summary.id);

  it('serve requests with their profiling headers, and their profiles', async () => {
    expect(nPlusOneResponse.headers['x-query-count']).toBe('4');
    const profile = await t.http.get(`/v1/_profiler/requests/${ids.nPlusOne}`).set(PROFILER).expect(200);
    expectToMatchOpenApi(t.openApi, profile);
    expect(profile.body.problems.nPlusOne).toBe(1);
    expect(await listedIds({})).toContain(ids.nPlusOne);
  });

  it('list newest first, limited', async () => {
    expect(await listedIds({ limit: '2' })).toHaveLength(2);
    const all = (await list({})).body.data.map((summary: { startedAt: string }) => summary.startedAt);
    expect(all).toEqual([...all].sort().reverse());
  });

  it('filter by exact route template', async () => {
    expect((await listedIds({ route: '/v1/_test/two-statements' })).sort()).toEqual([ids['plain-1'], ids['plain-2'], ids['plain-3']].sort());
    expect(await listedIds({ route: '/v1/_test/two' })).toEqual([]);
  });

  it('filter by status class or exact status', async () => {
    expect(await listedIds({ status: '4xx' })).toEqual([ids.notFound]);
    expect(await listedIds({ status: '404' })).toEqual([ids.notFound]);
    expect(await listedIds({ status: '2xx' })).not.toContain(ids.notFound);
    expect(await listedIds({ status: '201' })).toEqual([]);
  });

  it('filter by problems', async () => {
    const withProblems = await listedIds({ problems: 'true' });
    expect(withProblems).toEqual(expect.arrayContaining([ids.nPlusOne, ids.overBudget]));
    expect(withProblems).not.toEqual(expect.arrayContaining([ids['plain-1']]));
    const without = await listedIds({ problems: 'false' });
    expect(without).toEqual(expect.arrayContaining([ids['plain-1'], ids['plain-2'], ids['plain-3'], ids.notFound]));
    expect(without).not.toContain(ids.nPlusOne);
    expect(without).not.toContain(ids.overBudget);
  });

  it('filter by minimum total time', async () => {
    const all: Array<{ id: string; totalMs: number }> = (await list({})).body.data;
    const threshold = [...all].sort((x, y) => x.totalMs - y.totalMs)[Math.floor(all.length / 2)].totalMs;
    const expected = all.filter((summary) => summary.totalMs >= threshold).map((summary) => summary.id);
    expect(await listedIds({ minMs: String(threshold) })).toEqual(expected);
    expect(await listedIds({ minMs: '0' })).toEqual(all.map((summary) => summary.id));
  });

  it('take an empty value as no filter', async () => {
    expect(await listedIds({ route: '', status: '', minMs: '', problems: '', limit: '' })).toEqual(await listedIds({}));
  });

  it.each([
    ['route', `/v1/${'x'.repeat(300)}`],
    ['status', 'teapot'],
    ['status', '6xx'],
    ['status', '2x'],
    ['minMs', '-1'],
    ['minMs', 'fast'],
    ['problems', 'yes'],
    ['limit', '0'],
    ['limit', '501'],
    ['limit', '1.5'],
    ['since', 'yesterday'],
  ])('answer 400 naming the parameter for %s=%s', async (parameter, value) => {
    const response = await t.http.get('/v1/_profiler/requests').query({ [parameter]: value }).set(PROFILER).expect(400);
    expectToMatchOpenApi(t.openApi, response);
    expect(new Set(response.body.errors.map((error: { parameter: string }) => error.parameter))).toEqual(new Set([parameter]));
  });

  it("summarize this instance's routes: requests, statements per request, top statements by summed time", async () => {
    const response = await t.http.get('/v1/_profiler/routes').set(PROFILER).expect(200);
    expectToMatchOpenApi(t.openApi, response);
    const byRoute = new Map(response.body.data.map((summary: { method: string; route: string }) => [`${summary.method} ${summary.route}`, summary]));

    expect(byRoute.get('GET /v1/_test/two-statements')).toMatchObject({ requests: 3, statements: { p50: 2, p95: 2 } });
    const twoStatements = byRoute.get('GET /v1/_test/two-statements') as { topStatements: Array<{ sql: string; count: number }> };
    expect(twoStatements.topStatements.map(({ sql, count }) => ({ sql, count })).sort((x, y) => x.sql.localeCompare(y.sql))).toEqual([
      { sql: 'SELECT count(*)::int AS n FROM cities', count: 3 },
      { sql: 'SELECT count(*)::int AS n FROM venues', count: 3 },
    ]);
    expect(byRoute.get('GET /v1/_test/n-plus-one/sequential')).toMatchObject({ requests: 1, statements: { p50: 4, p95: 4 }, topStatements: [{ count: 4 }] });
    const notFound = (await t.http.get(`/v1/_profiler/requests/${ids.notFound}`).set(PROFILER).expect(200)).body;
    expect(byRoute.get(`GET ${notFound.route}`)).toMatchObject({ requests: 1, statements: { p50: 0, p95: 0 }, topStatements: [] });
    const requests = response.body.data.map((summary: { requests: number }) => summary.requests);
    expect(requests).toEqual([...requests].sort((x, y) => y - x));
  });
});
