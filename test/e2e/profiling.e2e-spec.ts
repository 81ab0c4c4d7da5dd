import { Logger } from '@nestjs/common';
import { FIXTURES_FILE, fixtureLine, ProfilingFixturesModule } from '../support/profiling-fixtures';
import { startTestApp, TEST_PROFILER_TOKEN, TestApp } from '../support/test-app';
import { parseServerTiming } from '../support/server-timing';

const PROFILER = { 'x-profiler-token': TEST_PROFILER_TOKEN };

describe('query profiler', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [ProfilingFixturesModule] });
  });
  afterAll(() => t.close());

  describe('headers', () => {
    it('counts a route that runs 2 statements in one session exactly', async () => {
      const response = await t.http.get('/v1/_test/two-statements').expect(200);
      expect(response.headers['x-query-count']).toBe('2');
      expect(response.headers['x-db-sessions']).toBe('1');
      const timing = parseServerTiming(response.headers['server-timing']);
      expect(timing.map((metric) => metric.name)).toEqual(expect.arrayContaining(['total', 'auth', 'handler', 'serialization', 'db']));
      expect(timing.find((metric) => metric.name === 'db')?.desc).toBe('2 queries');
    });

    it('counts BEGIN/COMMIT apart from the budgeted statements', async () => {
      const response = await t.http.get('/v1/_test/transaction').expect(200);
      expect(response.headers['x-query-count']).toBe('2');
      const profile = await t.http.get(`/v1/_profiler/requests/${response.headers['x-request-id']}`).set(PROFILER).expect(200);
      expect(profile.body.statementCount).toBe(2);
      expect(profile.body.transactionControlCount).toBe(2);
      expect(profile.body.queries.map((query: { sql: string }) => query.sql)).toEqual([
        'START TRANSACTION',
        'SELECT ? AS first',
        'SELECT ? AS second',
        'COMMIT',
      ]);
    });

    it('carries the headers on errors too: a validation 400 and an unknown route 404', async () => {
      const invalid = await t.http.get('/v1/_test/distinct-statements?n=abc').expect(400);
      expect(invalid.headers['x-query-count']).toBe('0');
      expect(invalid.headers['server-timing']).toMatch(/^total;dur=/);
      const missing = await t.http.get('/v1/does-not-exist').expect(404);
      expect(missing.headers['x-db-sessions']).toBe('0');
      expect(missing.headers['x-request-id']).toBeTruthy();
    });

    it('reports explicit stages and the cache result', async () => {
      const response = await t.http.get('/v1/_test/stages?n=2').expect(200);
      const timing = parseServerTiming(response.headers['server-timing']);
      expect(timing.map((metric) => metric.name)).toEqual(expect.arrayContaining(['step-0', 'step-1']));
      expect(timing.find((metric) => metric.name === 'cache')?.desc).toBe('miss');
      const profile = await t.http.get(`/v1/_profiler/requests/${response.headers['x-request-id']}`).set(PROFILER).expect(200);
      expect(profile.body.queries.map((query: { stage: string }) => query.stage)).toEqual(['step-0', 'step-1']);
      expect(profile.body.path).toBe('/v1/_test/stages');
    });

    it('leaves non-/v1 routes without profiling headers', async () => {
      const response = await t.http.get('/health/live').expect(200);
      expect(response.headers['x-query-count']).toBeUndefined();
      expect(response.headers['server-timing']).toBeUndefined();
    });
  });

  describe('N+1 detection in strict mode', () => {
    it('fails a sequential N+1 with the statement and a hint', async () => {
      const response = await t.http.get('/v1/_test/n-plus-one/sequential?n=4').expect(500);
      expect(response.body.detail).toBe(
        `N+1 query detected: the same statement ran 4 times at ${FIXTURES_FILE}:${fixtureLine('sequential')} (ProfilingFixturesController.sequentialNPlusOne) with other values: SELECT ?::text AS name`,
      );
      expect(response.body.hint).toMatch(/ANY\(\$1\)/);
      expect(response.body.requestId).toBe(response.headers['x-request-id']);
    });

    it('fails a parallel (Promise.all) N+1 and says it ran in parallel', async () => {
      const response = await t.http.get('/v1/_test/n-plus-one/parallel?n=5').expect(500);
      expect(response.body.detail).toMatch(/ran 5 times in parallel/);
      expect(response.headers['x-query-count']).toBe('5');
      expect(response.headers['x-db-sessions']).toBe('5');
    });

    it('lets a statement repeated below the threshold through', async () => {
      const response = await t.http.get('/v1/_test/n-plus-one/sequential?n=2').expect(200);
      expect(response.body.names).toEqual(['venue-1', 'venue-2']);
    });
  });

  describe('query budgets', () => {
    it('passes a handler within its budget', async () => {
      await t.http.get('/v1/_test/budget/within').expect(200);
    });

    it('fails a blown budget naming the budget and listing the statements', async () => {
      const response = await t.http.get('/v1/_test/budget/blown').expect(500);
      expect(response.body.detail).toBe('query budget exceeded: 2 > 1');
      expect(response.body.statements).toEqual([
        { sql: 'SELECT count(*)::int AS n FROM cities', count: 1 },
        { sql: 'SELECT count(*)::int AS n FROM venues', count: 1 },
      ]);
    });

    it('applies a budget tightened inside the handler', async () => {
      const response = await t.http.get('/v1/_test/budget/tightened').expect(500);
      expect(response.body.detail).toBe('query budget exceeded: 2 > 1 (holiday path)');
    });
  });

  it('keeps the profiles of 20 concurrent requests apart', async () => {
    const counts = Array.from({ length: 20 }, (_, index) => (index % 7) + 1);
    const responses = await Promise.all(counts.map((n) => t.http.get(`/v1/_test/distinct-statements?n=${n}`)));
    for (const [index, response] of responses.entries()) {
      expect(response.status).toBe(200);
      expect(response.headers['x-query-count']).toBe(String(counts[index]));
      expect(response.headers['x-db-sessions']).toBe('1');
    }
    const profiles = await Promise.all(
      responses.map((response) => t.http.get(`/v1/_profiler/requests/${response.headers['x-request-id']}`).set(PROFILER)),
    );
    for (const [index, profile] of profiles.entries()) {
      expect(profile.body.queries).toHaveLength(counts[index]);
      expect(profile.body.checkouts).toHaveLength(1);
    }
  });

  describe('profiler endpoints', () => {
    it('refuses requests without the token', async () => {
      const response = await t.http.get('/v1/_profiler/requests').expect(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      await t.http.get('/v1/_profiler/requests').set('x-profiler-token', 'wrong-token-wrong-token').expect(401);
    });

    it('lists recent requests newest first, without the profiler own requests', async () => {
      const first = await t.http.get('/v1/_test/two-statements');
      const second = await t.http.get('/v1/_test/transaction');
      const list = await t.http.get('/v1/_profiler/requests').set(PROFILER).expect(200);
      const ids = list.body.data.map((item: { id: string }) => item.id);
      expect(ids.indexOf(second.headers['x-request-id'])).toBeLessThan(ids.indexOf(first.headers['x-request-id']));
      expect(list.body.data.every((item: { route: string }) => !item.route.includes('_profiler'))).toBe(true);
      // With a query string, the profiler's own requests and the scrape are still left out.
      await t.http.get('/metrics?format=text');
      await t.http.get('/_profiler?token=x');
      const again = await t.http.get('/v1/_profiler/requests?limit=100').set(PROFILER).expect(200);
      expect(again.body.data.map((item: { path: string }) => item.path)).not.toEqual(expect.arrayContaining([expect.stringMatching(/^\/(metrics|_profiler)/)]));
      const summary = list.body.data.find((item: { id: string }) => item.id === first.headers['x-request-id']);
      expect(summary).toMatchObject({ method: 'GET', route: '/v1/_test/two-statements', status: 200, statementCount: 2, sessions: 1 });
    });

    it('answers 404 for an unknown profile id', async () => {
      await t.http.get('/v1/_profiler/requests/not-a-known-id').set(PROFILER).expect(404);
    });

    it('never records bind values unless asked to', async () => {
      const response = await t.http.get('/v1/_test/n-plus-one/sequential?n=2').expect(200);
      const profile = await t.http.get(`/v1/_profiler/requests/${response.headers['x-request-id']}`).set(PROFILER).expect(200);
      expect(JSON.stringify(profile.body)).not.toContain('venue-1');
    });

    it('serves the page and its script from this origin only, under a strict CSP', async () => {
      const response = await t.http.get('/_profiler').expect(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.headers['content-security-policy']).toBe("default-src 'self'");
      const scripts = [...response.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((match) => match[1]);
      expect(scripts).toEqual(['/_profiler/profiler.js']);
      expect(response.text).not.toMatch(/<script(?![^>]*src=)[^>]*>/);
      const script = await t.http.get('/_profiler/profiler.js').expect(200);
      expect(script.text).toContain('/v1/_profiler/requests');
    });
  });

  it('serves Prometheus metrics labelled by route template', async () => {
    await t.http.get('/v1/_test/two-statements').expect(200);
    const response = await t.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const lines = response.text.split('\n').filter((line) => line && !line.startsWith('#'));
    for (const line of lines) expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? -?[0-9.e+-]+|NaN|[+-]Inf$/);
    expect(response.text).toContain('db_queries_per_request_sum{route="/v1/_test/two-statements"}');
    expect(response.text).toContain('http_request_duration_seconds_count{method="GET",route="/v1/_test/two-statements",status_code="200"}');
    expect(response.text).toMatch(/http_request_stage_duration_seconds_count\{route="\/v1\/_test\/two-statements",stage="handler"\} \d+/);
    expect(response.text).not.toMatch(/route="[^"]*\?/);
  });

  it('labels a request a guard refused with its route template, not as unmatched', async () => {
    await t.http.get('/v1/me/bookings').expect(401);
    const response = await t.http.get('/metrics').expect(200);
    expect(response.text).toContain('http_request_duration_seconds_count{method="GET",route="/v1/me/bookings",status_code="401"} 1');
  });
});

describe('query profiler outside strict mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [ProfilingFixturesModule], env: { PROFILER_STRICT: 'false', DB_POOL_SIZE: '1' } });
  });
  afterAll(() => t.close());

  it('marks the lifecycle as in strict mode: the handler ends when its result is replied, a guard refusal has no handler', async () => {
    const answered = await t.http.get('/v1/_test/two-statements').expect(200);
    const answeredStages = parseServerTiming(answered.headers['server-timing']).map((metric) => metric.name);
    expect(answeredStages).toEqual(['total', 'auth', 'handler', 'serialization', 'db']);
    const failed = await t.http.get('/v1/_test/distinct-statements?n=abc').expect(400);
    expect(parseServerTiming(failed.headers['server-timing']).map((metric) => metric.name)).toEqual(expect.arrayContaining(['auth', 'handler', 'serialization']));
    const refused = await t.http.get('/v1/me/bookings').expect(401);
    expect(parseServerTiming(refused.headers['server-timing']).map((metric) => metric.name)).toEqual(['total', 'db']);
  });

  it('keeps the headers under 8 KB after 500 statements in 500 stages', async () => {
    const response = await t.http.get('/v1/_test/stages?n=500').expect(200);
    expect(response.headers['x-query-count']).toBe('500');
    const headerBytes = ['server-timing', 'x-query-count', 'x-db-sessions', 'x-request-id']
      .map((name) => `${name}: ${response.headers[name]}\r\n`)
      .join('').length;
    expect(headerBytes).toBeLessThan(8192);
    expect(parseServerTiming(response.headers['server-timing']).length).toBeGreaterThan(3);
  });

  it('answers an N+1 normally and records the finding and the metric', async () => {
    const response = await t.http.get('/v1/_test/n-plus-one/sequential?n=4').expect(200);
    const profile = await t.http.get(`/v1/_profiler/requests/${response.headers['x-request-id']}`).set(PROFILER).expect(200);
    expect(profile.body.findings).toEqual([expect.objectContaining({ kind: 'n+1', sql: 'SELECT ?::text AS name', count: 4, parallel: false })]);
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toContain('db_n_plus_one_findings_total{route="/v1/_test/n-plus-one/sequential"} 1');
  });

  it('answers a blown budget normally and counts it', async () => {
    await t.http.get('/v1/_test/budget/blown').expect(200);
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toContain('db_query_budget_exceeded_total{route="/v1/_test/budget/blown"} 1');
  });

  it('shows pool_wait when a request had to wait for a connection', async () => {
    const responses = await Promise.all([1, 2, 3].map(() => t.http.get('/v1/_test/hold-connection')));
    const waited = responses.filter((response) => parseServerTiming(response.headers['server-timing']).some((metric) => metric.name === 'pool_wait'));
    expect(waited.length).toBeGreaterThanOrEqual(2);
  });
});

describe('slow statements', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [ProfilingFixturesModule], env: { SLOW_QUERY_MS: '20' } });
  });
  afterAll(() => t.close());

  type SlowLine = { msg?: string; route?: string; sql?: string; plan?: string };

  /** The 'slow statement' lines logged while `requests` run, once the explainer has had time to log them. */
  async function slowLinesDuring(requests: () => Promise<unknown>): Promise<SlowLine[]> {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      await requests();
      const slowLines = () => warn.mock.calls.map(([line]) => line as SlowLine).filter((line) => line?.msg === 'slow statement');
      const deadline = Date.now() + 5000;
      while (slowLines().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 100));
      return slowLines();
    } finally {
      warn.mockRestore();
    }
  }

  it('logs each slow statement shape once, with its EXPLAIN plan, after the response', async () => {
    let first: { headers: Record<string, string> } | undefined;
    const lines = await slowLinesDuring(async () => {
      first = await t.http.get('/v1/_test/hold-connection').expect(200);
      await t.http.get('/v1/_test/hold-connection').expect(200);
    });
    expect(first?.headers['x-query-count']).toBe('1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ route: '/v1/_test/hold-connection', sql: 'SELECT pg_sleep(?)', plan: expect.stringMatching(/^Result/) });
  });

  it('logs the generic plan of a slow statement: its bind values are nowhere in the line', async () => {
    const marker = 'marker-7f3c91@example.com';
    const lines = await slowLinesDuring(() => t.http.get(`/v1/_test/slow-lookup?email=${encodeURIComponent(marker)}`).expect(200));
    expect(lines).toHaveLength(1);
    expect(lines[0].plan).toMatch(/email = \$1/);
    expect(JSON.stringify(lines[0])).not.toContain('marker-7f3c91');
  });
});
