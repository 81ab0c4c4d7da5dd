import { hash } from '@node-rs/argon2';
import type { Response } from 'supertest';
import { factories } from '../support/factories';
import { expectToMatchOpenApi } from '../support/openapi';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * SPEC §11: login limits per client address and per account, and a registration limit, shared by
 * every instance through Redis (REDIS_URL, else redis://127.0.0.1:6379 as in CI), counted per
 * process without it. Client addresses are simulated behind one trusted proxy hop (TRUST_PROXY=1):
 * the address is the X-Forwarded-For entry the proxy appended.
 */
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const PROBLEM_JSON = /^application\/problem\+json/;
const WRONG_PASSWORD = 'not-the-password';
const MINUTE_S = 60;
const HOUR_S = 3600;

const LOGIN_ATTEMPTS = '/problems/too-many-login-attempts';
const FAILED_LOGINS = '/problems/too-many-failed-logins';
const REGISTRATIONS = '/problems/too-many-registrations';

function login(t: TestApp, address: string, email: string, password = WRONG_PASSWORD) {
  return t.http.post('/v1/auth/login').set('X-Forwarded-For', address).send({ email, password });
}

function register(t: TestApp, address: string, email: string) {
  return t.http.post('/v1/auth/register').set('X-Forwarded-For', address).send({ email, password: 'a-good-password', name: 'Someone' });
}

/** Every 429: Retry-After in whole seconds (at least 1, at most the window) and a documented problem naming the limit. */
function expectLimited(t: TestApp, response: Response, type: string, windowSeconds: number): void {
  expect(response.status).toBe(429);
  expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
  expect(response.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(windowSeconds);
  expect(response.body).toEqual({ type, title: expect.any(String), status: 429, detail: expect.stringMatching(/; retry after \d+ s$/) });
  expectToMatchOpenApi(t.openApi, response);
}

/** A user whose password is `password` (a real argon2 hash, so the login succeeds). */
async function newAccount(t: TestApp, email: string, password: string): Promise<void> {
  await factories(t.dataSource).newUser({ email, passwordHash: await hash(password) });
}

describe(`two instances sharing one database and Redis (${REDIS_URL})`, () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  /** Alternates between the instances, as a load balancer would. */
  const instance = (n: number) => (n % 2 === 0 ? a : b);

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { REDIS_URL, TRUST_PROXY: '1', LOGIN_RATE_LIMIT: '4', REGISTER_RATE_LIMIT: '3' };
    a = await startTestApp({ database, env });
    b = await startTestApp({ database, env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('hold the login limit per address across both: the (LOGIN_RATE_LIMIT + 1)th attempt overall gets 429', async () => {
    for (let n = 0; n < 4; n++) await login(instance(n), '198.51.100.1', `visitor-${n}@example.com`).expect(401);
    expectLimited(a, await login(a, '198.51.100.1', 'visitor-4@example.com'), LOGIN_ATTEMPTS, MINUTE_S);
    expectLimited(b, await login(b, '198.51.100.1', 'visitor-5@example.com'), LOGIN_ATTEMPTS, MINUTE_S);
    await login(b, '198.51.100.2', 'visitor-6@example.com').expect(401);
  });

  it('slow credential stuffing: one email tried from 25 addresses gets 429 after LOGIN_ACCOUNT_RATE_LIMIT failures, its owner included', async () => {
    await newAccount(a, 'stuffed@example.com', 'the-right-password');
    const statuses: number[] = [];
    for (let n = 0; n < 25; n++) {
      const email = n % 2 === 0 ? 'stuffed@example.com' : ' Stuffed@Example.COM';
      statuses.push((await login(instance(n), `203.0.113.${n + 1}`, email)).status);
    }
    expect(a.config.LOGIN_ACCOUNT_RATE_LIMIT).toBe(5);
    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(20).fill(429)]);

    // The lock-out trade-off: until the window ends the right password is refused too, unchecked.
    const owner = await login(b, '192.0.2.1', 'stuffed@example.com', 'the-right-password');
    expectLimited(b, owner, FAILED_LOGINS, MINUTE_S);
  });

  it('answer an email no account has exactly as one an account has, so the limit tells nothing about which emails exist', async () => {
    await newAccount(a, 'known@example.com', 'the-right-password');
    const limitedBodies = [];
    for (const email of ['known@example.com', 'unknown@example.com']) {
      for (let n = 0; n < 5; n++) await login(instance(n), `203.0.113.${100 + n}`, email).expect(401);
      const limited = await login(a, '203.0.113.200', email);
      expectLimited(a, limited, FAILED_LOGINS, MINUTE_S);
      limitedBodies.push({ ...limited.body, detail: limited.body.detail.replace(/\d+ s$/, 'N s') });
    }
    expect(limitedBodies[1]).toEqual(limitedBodies[0]);
  });

  it("do not count the owner's successful logins against the account", async () => {
    await newAccount(a, 'owner@example.com', 'the-right-password');
    for (let n = 0; n < 8; n++) await login(instance(n), `192.0.2.${10 + n}`, 'owner@example.com', 'the-right-password').expect(200);
    for (let n = 0; n < 5; n++) await login(instance(n), `192.0.2.${20 + n}`, 'owner@example.com').expect(401);
    expectLimited(a, await login(a, '192.0.2.30', 'owner@example.com'), FAILED_LOGINS, MINUTE_S);
  });

  it('hold the registration limit per address across both', async () => {
    for (let n = 0; n < 3; n++) await register(instance(n), '198.51.100.50', `new-${n}@example.com`).expect(201);
    expectLimited(b, await register(b, '198.51.100.50', 'new-3@example.com'), REGISTRATIONS, HOUR_S);
    await register(a, '198.51.100.51', 'new-3@example.com').expect(201);
  });
});

describe.each([
  ['without REDIS_URL', ''],
  ['with Redis unreachable', 'redis://127.0.0.1:1'],
])('one instance %s: every limit still holds, counted in process memory', (_case, redisUrl) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { REDIS_URL: redisUrl, TRUST_PROXY: '1', LOGIN_RATE_LIMIT: '2', LOGIN_ACCOUNT_RATE_LIMIT: '2', REGISTER_RATE_LIMIT: '1' } });
  });
  afterAll(() => t.close());

  it('limits logins per address', async () => {
    await login(t, '198.51.100.1', 'first@example.com').expect(401);
    await login(t, '198.51.100.1', 'second@example.com').expect(401);
    expectLimited(t, await login(t, '198.51.100.1', 'third@example.com'), LOGIN_ATTEMPTS, MINUTE_S);
  });

  it('limits failed logins per account', async () => {
    await login(t, '203.0.113.1', 'target@example.com').expect(401);
    await login(t, '203.0.113.2', 'target@example.com').expect(401);
    expectLimited(t, await login(t, '203.0.113.3', 'target@example.com'), FAILED_LOGINS, MINUTE_S);
  });

  it('limits registrations per address', async () => {
    await register(t, '198.51.100.9', 'one@example.com').expect(201);
    expectLimited(t, await register(t, '198.51.100.9', 'two@example.com'), REGISTRATIONS, HOUR_S);
  });
});
