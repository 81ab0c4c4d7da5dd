import type { Response } from 'supertest';
import { expectToMatchComponentSchema } from '../support/openapi';
import { startTestApp, TestApp } from '../support/test-app';

const PROBLEM_FIELDS = ['type', 'title', 'status', 'detail', 'instance', 'requestId', 'errors'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Traces of internals that must never reach a client: stack frames, file paths, SQL. */
const INTERNALS = /\bat \S+ \(|node_modules|\.ts:\d+|\bSELECT\b|\bFROM\b|\brelation\b|\bsyntax error\b/i;

/** An RFC 9457 body with nothing but problem members, served as application/problem+json. */
function expectProblem(t: TestApp, response: Response, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  expect(PROBLEM_FIELDS).toEqual(expect.arrayContaining(Object.keys(response.body)));
  expect(response.text).not.toMatch(INTERNALS);
  expectToMatchComponentSchema(t.openApi, 'ProblemDetailsDto', response.body);
}

describe('errors (SPEC §9)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each(['/v1/no-such-route', '/no-such-route'])('answers an unknown route %s with a 404 problem', async (path) => {
    const response = await t.http.get(path);
    expectProblem(t, response, 404);
    expect(response.body).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: `Cannot GET ${path}` });
  });

  it('answers an unknown parameter with a 400 naming it', async () => {
    const response = await t.http.get('/v1/categories?debug=true');
    expectProblem(t, response, 400);
    expect(response.body).toEqual({
      type: '/problems/validation-error',
      title: 'Invalid request parameters',
      status: 400,
      detail: 'Invalid value for: debug',
      errors: [{ parameter: 'debug', message: "unknown parameter 'debug'" }],
    });
  });

  // The JSON body parser runs before routing, so any path shows it, whether a route takes a body or not.
  it('answers malformed JSON with a 400 and no parser internals', async () => {
    const response = await t.http.post('/v1/cities').set('Content-Type', 'application/json').send('{"name": "Madrid",');
    expectProblem(t, response, 400);
    expect(response.body).toEqual({ type: 'about:blank', title: 'Bad Request', status: 400, detail: 'Request body is not valid JSON' });
  });

  it('answers a body over BODY_LIMIT (100kb) with a 413', async () => {
    const response = await t.http
      .post('/v1/cities')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(200 * 1024) }));
    expectProblem(t, response, 413);
    expect(response.body).toEqual({ type: 'about:blank', title: 'Payload Too Large', status: 413, detail: 'Request body is too large' });
  });

  it('answers a failing query with a 500 that carries the request id and no SQL', async () => {
    // The test's private database loses a table, so the real handler's query fails in PostgreSQL.
    await t.dataSource.query('ALTER TABLE categories RENAME TO categories_hidden_by_test');
    try {
      const response = await t.http.get('/v1/categories').set('X-Request-Id', 'trace-500-check');
      expectProblem(t, response, 500);
      expect(response.body).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'An unexpected error occurred',
        requestId: 'trace-500-check',
      });
      expect(response.text).not.toMatch(/categories/);
      expect(response.headers['cache-control'] ?? '').not.toMatch(/public/);
    } finally {
      await t.dataSource.query('ALTER TABLE categories_hidden_by_test RENAME TO categories');
    }
  });

  describe('X-Request-Id', () => {
    it.each([
      ['a plain id', 'checkout-7f3a.2:retry_1'],
      ['128 characters', 'r'.repeat(128)],
    ])('echoes %s', async (_case, id) => {
      const response = await t.http.get('/v1/cities').set('X-Request-Id', id).expect(200);
      expect(response.headers['x-request-id']).toBe(id);
    });

    it('echoes it on error responses too', async () => {
      const response = await t.http.get('/v1/no-such-route').set('X-Request-Id', 'lost-client-42').expect(404);
      expect(response.headers['x-request-id']).toBe('lost-client-42');
    });

    it.each([
      ['an over-long id', 'r'.repeat(300)],
      ['one with spaces', 'select * from users'],
      ['an encoded header injection', 'abc%0d%0aSet-Cookie:%20session=evil'],
      ['markup', '<script>alert(1)</script>'],
      ['an empty id', ''],
    ])('replaces %s with a fresh UUID', async (_case, id) => {
      const response = await t.http.get('/v1/cities').set('X-Request-Id', id).expect(200);
      expect(response.headers['x-request-id']).toMatch(UUID);
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('generates one when none is sent', async () => {
      const response = await t.http.get('/v1/cities').expect(200);
      expect(response.headers['x-request-id']).toMatch(UUID);
    });
  });
});
