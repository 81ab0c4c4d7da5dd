import { FIXTURES_FILE, fixtureLine, ProfilingFixturesModule } from '../support/profiling-fixtures';
import { factories } from '../support/factories';
import { startTestApp, TEST_PROFILER_TOKEN, TestApp } from '../support/test-app';

const PROFILER = { 'x-profiler-token': TEST_PROFILER_TOKEN };
describe('profiler findings: call sites, N+1 vs duplicates, relations, allowRepeated, sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [ProfilingFixturesModule], env: { PROFILER_STRICT: 'false', PROFILER_IDLE_SESSION_MS: '5' } });
    const { newCity, newCategory, newUser, newVenue } = factories(t.dataSource);
    const [category, host] = await Promise.all([newCategory(), newUser()]);
    for (let n = 0; n < 4; n += 1) {
      const city = await newCity();
      await newVenue({ cityId: city.id, categoryId: category.id, hostId: host.id });
    }
  });
  afterAll(() => t.close());

  async function profileOf(path: string) {
    const response = await t.http.get(path).expect(200);
    const profile = await t.http.get(`/v1/_profiler/requests/${response.headers['x-request-id']}`).set(PROFILER).expect(200);
    return profile.body;
  }

  it('names the TypeORM relation a lazy-loading loop loads, its call site and caller, and how to batch it', async () => {
    const profile = await profileOf('/v1/_test/lazy-relations?n=4');
    expect(profile.findings).toHaveLength(1);
    const [finding] = profile.findings;
    expect(finding).toMatchObject({
      kind: 'n+1',
      count: 4,
      distinctValues: 4,
      parallel: false,
      allowed: null,
      relation: { entity: 'Venue', property: 'city', target: 'City' },
      callSite: {
        at: { file: FIXTURES_FILE, line: fixtureLine('lazy-city'), function: 'DeliberateAntiPatterns.citiesOneByOne' },
        caller: { file: FIXTURES_FILE, line: fixtureLine('lazy-city-caller'), function: 'ProfilingFixturesController.lazyRelations' },
      },
    });
    expect(finding.fix).toContain("Venue.city was loaded once per Venue (4 times at test/support/profiling-fixtures.ts");
    expect(finding.fix).toContain(".leftJoinAndSelect('venue.city', 'city')");
    expect(finding.fix).toContain('FROM "cities" WHERE "id" = ANY($1)');
    expect(finding.queries).toHaveLength(4);
    expect(finding.queries.map((index: number) => profile.queries[index].statement)).toEqual([finding.statement, finding.statement, finding.statement, finding.statement]);
    expect(profile.problems).toMatchObject({ nPlusOne: 1, duplicates: 0 });
  });

  it('tells a duplicate (same values: reuse the result) from an N+1, from two runs, without storing the values', async () => {
    const profile = await profileOf('/v1/_test/duplicate-lookup');
    expect(profile.findings).toEqual([
      expect.objectContaining({
        kind: 'duplicate',
        count: 2,
        distinctValues: 1,
        relation: null,
        callSite: expect.objectContaining({ at: { file: FIXTURES_FILE, line: fixtureLine('duplicate-city'), function: 'DeliberateAntiPatterns.cityById' } }),
      }),
    ]);
    expect(profile.findings[0].fix).toMatch(/^The same statement ran 2 times with the same values at test\/support\/profiling-fixtures\.ts:\d+ \(DeliberateAntiPatterns\.cityById\): run it once and reuse the result/);
    expect(profile.problems).toMatchObject({ nPlusOne: 0, duplicates: 1 });
    expect(JSON.stringify(profile.queries)).not.toMatch(/"params"|valuesHash/);
  });

  it('builds the batch fix of a plain statement from its table and filter column', async () => {
    const profile = await profileOf('/v1/_test/venues-one-by-one?n=3');
    expect(profile.findings).toEqual([expect.objectContaining({ kind: 'n+1', count: 3, relation: null })]);
    expect(profile.findings[0].fix).toContain('(SELECT … FROM "venues" WHERE "id" = ANY($1) with the list of values) and group the rows by "id"');
  });

  it('shows intended repetition with its reason instead of as a problem, and strict mode lets it through', async () => {
    const profile = await profileOf('/v1/_test/allowed-repeats?n=4');
    expect(profile.findings).toEqual([expect.objectContaining({ kind: 'n+1', count: 4, allowed: 'polling: each run must see the latest state' })]);
    expect(profile.problems).toMatchObject({ nPlusOne: 0, duplicates: 0 });
    expect(profile.queries.every((query: { allowedRepeat?: string }) => query.allowedRepeat === 'polling: each run must see the latest state')).toBe(true);
  });

  it('times each session: waited, held, in statements, idle while held, and flags Node work while holding it', async () => {
    const profile = await profileOf('/v1/_test/idle-session?n=15');
    expect(profile.checkouts).toHaveLength(1);
    const [session] = profile.checkouts;
    expect(session.idleFlagged).toBe(true);
    expect(session.idleMs).toBeGreaterThanOrEqual(15);
    expect(session.heldMs).toBeCloseTo(session.inStatementsMs + session.idleMs, 2);
    expect(session.acquiredMs).toBeCloseTo(session.requestedMs + session.waitMs, 2);
    expect(session.releasedMs).toBeCloseTo(session.acquiredMs + session.heldMs, 2);
    expect(profile.problems.idleSessions).toBe(1);
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toContain('db_sessions_idle_flagged_total{route="/v1/_test/idle-session"} 1');
    expect(metrics.text).toMatch(/db_session_idle_seconds_count\{route="\/v1\/_test\/idle-session"\} 1/);
  });

  it('does not flag a session whose statements follow each other', async () => {
    const profile = await profileOf('/v1/_test/two-statements');
    expect(profile.checkouts).toEqual([expect.objectContaining({ session: 1, server: 'primary' })]);
    expect(profile.checkouts[0].heldMs).toBeGreaterThan(0);
    expect(profile.checkouts[0].inStatementsMs).toBeGreaterThan(0);
  });

  describe('strict mode', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await startTestApp({ imports: [ProfilingFixturesModule], database: t.database });
    });
    afterAll(() => strict.close());

    it('fails a duplicate with its own problem type, call site and fix', async () => {
      const response = await strict.http.get('/v1/_test/duplicate-lookup').expect(500);
      expect(response.body).toMatchObject({
        type: '/problems/duplicate-statement',
        callSite: { at: { file: FIXTURES_FILE, line: fixtureLine('duplicate-city') } },
      });
      expect(response.body.detail).toMatch(/^Duplicate statement: the same statement ran 2 times at test\/support\/profiling-fixtures\.ts:\d+ \(DeliberateAntiPatterns\.cityById\) with the same values: SELECT/);
      expect(response.body.hint).toContain('reuse the result');
    });

    it('fails a lazy-loading N+1 naming the relation', async () => {
      const response = await strict.http.get('/v1/_test/lazy-relations?n=3').expect(500);
      expect(response.body.type).toBe('/problems/n-plus-one');
      expect(response.body.detail).toContain('loading Venue.city');
      expect(response.body.relation).toEqual({ entity: 'Venue', property: 'city', target: 'City' });
    });

    it('lets repetition wrapped in allowRepeated through', async () => {
      await strict.http.get('/v1/_test/allowed-repeats?n=4').expect(200);
    });
  });

  describe('EXPLAIN of a recorded statement', () => {
    async function recorded(path: string) {
      const response = await t.http.get(path).expect(200);
      const id = response.headers['x-request-id'];
      const profile = await t.http.get(`/v1/_profiler/requests/${id}`).set(PROFILER).expect(200);
      return { id, profile: profile.body };
    }

    it('returns the generic JSON plan, without executing the statement (no ANALYZE figures)', async () => {
      const { id, profile } = await recorded('/v1/_test/lazy-relations?n=1');
      const statement = profile.statements.find((candidate: { sql: string }) => candidate.sql.includes('"cities"'));
      const response = await t.http.get(`/v1/_profiler/requests/${id}/statements/${statement.index}/plan`).set(PROFILER).expect(200);
      expect(response.body).toMatchObject({ statement: statement.index, sql: statement.sql, generic: true });
      expect(response.body.plan.Plan['Node Type']).toEqual(expect.any(String));
      expect(JSON.stringify(response.body.plan)).not.toContain('Actual');
    });

    it('plans a write without running it', async () => {
      const { id, profile } = await recorded('/v1/_test/write-statement');
      const statement = profile.statements.find((candidate: { sql: string }) => candidate.sql.startsWith('UPDATE'));
      const response = await t.http.get(`/v1/_profiler/requests/${id}/statements/${statement.index}/plan`).set(PROFILER).expect(200);
      expect(response.body.plan.Plan['Node Type']).toBe('ModifyTable');
      expect(JSON.stringify(response.body.plan)).not.toContain('Actual');
    });

    it('keeps recorded values out of the plan: a marker value is nowhere in the response', async () => {
      const marker = 'explain-marker-7f3a@example.com';
      const { id, profile } = await recorded(`/v1/_test/slow-lookup?email=${encodeURIComponent(marker)}`);
      const statement = profile.statements.find((candidate: { sql: string }) => candidate.sql.includes('users'));
      const response = await t.http.get(`/v1/_profiler/requests/${id}/statements/${statement.index}/plan`).set(PROFILER).expect(200);
      expect(JSON.stringify(response.body)).not.toContain(marker);
      expect(JSON.stringify(profile)).not.toContain(marker);
    });

    it('refuses without the token, for an unknown request or statement, and for transaction control', async () => {
      const transaction = await t.http.get('/v1/_test/transaction').expect(200);
      const id = transaction.headers['x-request-id'];
      await t.http.get(`/v1/_profiler/requests/${id}/statements/0/plan`).expect(401);
      await t.http.get(`/v1/_profiler/requests/${id}/statements/0/plan`).set({ 'x-profiler-token': 'wrong-token-0123456789' }).expect(401);
      const begin = await t.http.get(`/v1/_profiler/requests/${id}/statements/0/plan`).set(PROFILER).expect(422);
      expect(begin.body.detail).toMatch(/cannot be explained: START TRANSACTION/);
      await t.http.get(`/v1/_profiler/requests/${id}/statements/99/plan`).set(PROFILER).expect(404);
      await t.http.get(`/v1/_profiler/requests/no-such-request/statements/0/plan`).set(PROFILER).expect(404);
      await t.http.get(`/v1/_profiler/requests/${id}/statements/-1/plan`).set(PROFILER).expect(400);
      await t.http.get(`/v1/_profiler/requests/${id}/statements/abc/plan`).set(PROFILER).expect(400);
    });
  });
});
