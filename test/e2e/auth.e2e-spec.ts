import { createHmac } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { loadAppConfig } from '../../src/config/app-config';
import { AccessTokens } from '../../src/auth/access-tokens';
import { factories } from '../support/factories';
import { expectToMatchOpenApi } from '../support/openapi';
import { expectQueryBaseline } from '../support/query-baseline';
import { startTestApp, TEST_PROFILER_TOKEN, TestApp } from '../support/test-app';

const JWT_SECRET = 'auth-e2e-secret-0123456789abcdefghijklmnop';
const JWT_ISSUER = 'venues-api-e2e';
const PROBLEM_JSON = /^application\/problem\+json/;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Builds a JWT by hand, so the tests can make every kind of bad token the API must refuse. */
function forgeToken(claims: Record<string, unknown>, options: { alg?: string; secret?: string } = {}): string {
  const alg = options.alg ?? 'HS256';
  const unsigned = `${base64url({ alg, typ: 'JWT' })}.${base64url(claims)}`;
  if (alg === 'none') return `${unsigned}.`;
  return `${unsigned}.${createHmac('sha256', options.secret ?? JWT_SECRET).update(unsigned).digest('base64url')}`;
}

function validClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub: '1', role: 'user', iss: JWT_ISSUER, iat: now, exp: now + 600, ...overrides };
}

function decodeClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

describe('auth (SPEC §6)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The limits have their own tests (login-limits.e2e-spec.ts); here they must not interfere with the many attempts.
    t = await startTestApp({
      env: { JWT_SECRET, JWT_ISSUER, JWT_EXPIRES_IN_S: '900', LOGIN_RATE_LIMIT: '1000', LOGIN_ACCOUNT_RATE_LIMIT: '1000', REGISTER_RATE_LIMIT: '1000' },
    });
  });
  afterAll(() => t.close());

  describe('POST /v1/auth/register', () => {
    it('creates a user and answers 201 with the account, never cached', async () => {
      const response = await t.http
        .post('/v1/auth/register')
        .send({ email: '  Ana.Garcia@Example.com ', password: 'correct horse', name: ' Ana García ' })
        .expect(201);
      expect(response.body).toEqual({ id: expect.any(Number), email: 'Ana.Garcia@Example.com', name: 'Ana García', role: 'user' });
      expect(response.headers['cache-control']).toBe('no-store');
      expectToMatchOpenApi(t.openApi, response);
      expectQueryBaseline('auth: register', response);

      const [row] = await t.dataSource.query('SELECT password_hash FROM users WHERE id = $1', [response.body.id]);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
    });

    it('refuses an email already registered in another letter case with 409', async () => {
      await t.http.post('/v1/auth/register').send({ email: 'dup@example.com', password: 'password-1', name: 'First' }).expect(201);
      const response = await t.http.post('/v1/auth/register').send({ email: 'DUP@example.COM', password: 'password-2', name: 'Second' }).expect(409);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toMatchObject({ status: 409, type: '/problems/email-taken' });
      expectToMatchOpenApi(t.openApi, response);
    });

    it('lets exactly one of two concurrent registrations of one address through', async () => {
      const attempts = await Promise.all(
        ['race@example.com', 'Race@example.com'].map((email) => t.http.post('/v1/auth/register').send({ email, password: 'password-1', name: 'Racer' })),
      );
      expect(attempts.map((response) => response.status).sort()).toEqual([201, 409]);
    });

    it('has lower(email) as the only unique index of users besides the key (registration ignores any conflict as a taken address)', async () => {
      const indexes: Array<{ indexname: string }> = await t.dataSource.query(
        `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'users' AND indexdef LIKE 'CREATE UNIQUE INDEX%' ORDER BY indexname`,
      );
      expect(indexes.map((index) => index.indexname)).toEqual(['users_email_lower_key', 'users_pkey']);
    });

    it.each([
      ['a password shorter than 8 characters', { email: 'short@example.com', password: '1234567', name: 'Short' }, 'password'],
      ['a malformed email', { email: 'not-an-email', password: 'password-1', name: 'Bad' }, 'email'],
      ['an empty name', { email: 'noname@example.com', password: 'password-1', name: '   ' }, 'name'],
      ['a missing password', { email: 'nopass@example.com', name: 'No pass' }, 'password'],
      ['an unknown field', { email: 'role@example.com', password: 'password-1', name: 'Sneaky', role: 'admin' }, 'role'],
    ])('answers 400 naming the field for %s', async (_case, body, parameter) => {
      const response = await t.http.post('/v1/auth/register').send(body).expect(400);
      expect(response.body.errors.map((error: { parameter: string }) => error.parameter)).toContain(parameter);
      expectToMatchOpenApi(t.openApi, response);
    });

    it('accepts exactly 8 characters', async () => {
      await t.http.post('/v1/auth/register').send({ email: 'eight@example.com', password: '12345678', name: 'Eight' }).expect(201);
    });
  });

  describe('POST /v1/auth/login', () => {
    let userId: number;

    beforeAll(async () => {
      const registered = await t.http.post('/v1/auth/register').send({ email: 'login@example.com', password: 'login-password', name: 'Login' }).expect(201);
      userId = registered.body.id;
    });

    it('exchanges the credentials for an HS256 token with issuer and expiry, never cached', async () => {
      const response = await t.http.post('/v1/auth/login').send({ email: 'LOGIN@example.com', password: 'login-password' }).expect(200);
      expect(response.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
      expect(response.headers['cache-control']).toBe('no-store');
      expectToMatchOpenApi(t.openApi, response);
      expectQueryBaseline('auth: login', response);

      const header = JSON.parse(Buffer.from(response.body.accessToken.split('.')[0], 'base64url').toString());
      const claims = decodeClaims(response.body.accessToken);
      expect(header.alg).toBe('HS256');
      expect(claims).toMatchObject({ sub: String(userId), role: 'user', iss: JWT_ISSUER });
      expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    });

    it('gives the same 401 for a wrong password and an unknown email', async () => {
      const wrongPassword = await t.http.post('/v1/auth/login').send({ email: 'login@example.com', password: 'not-the-password' }).expect(401);
      const unknownEmail = await t.http.post('/v1/auth/login').send({ email: 'nobody@example.com', password: 'login-password' }).expect(401);
      expect(unknownEmail.body).toEqual(wrongPassword.body);
      expect(unknownEmail.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(wrongPassword.body).toMatchObject({ status: 401, type: '/problems/invalid-credentials' });
      expectToMatchOpenApi(t.openApi, wrongPassword);
    });

    it('refuses an account whose stored hash is not a password hash (seeded without a password)', async () => {
      const { newUser } = factories(t.dataSource);
      const user = await newUser();
      await t.http.post('/v1/auth/login').send({ email: user.email, password: 'anything-at-all' }).expect(401);
    });

    it('answers 400 for a body without a password', async () => {
      const response = await t.http.post('/v1/auth/login').send({ email: 'login@example.com' }).expect(400);
      expectToMatchOpenApi(t.openApi, response);
    });
  });

  describe.each([
    ['GET', '/v1/venues/some-venue'],
    ['PUT', '/v1/favorites/1'],
  ])('bearer tokens on %s %s (a route that needs a user)', (method, path) => {
    const call = () => (method === 'GET' ? t.http.get(path) : t.http.put(path));

    const expectChallenge = (response: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, error?: string) => {
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="venues-api"/);
      if (error) expect(response.headers['www-authenticate']).toContain(`error="${error}"`);
      else expect(response.headers['www-authenticate']).not.toContain('error=');
      expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    };

    it('answers 401 with a bare Bearer challenge when no token is sent', async () => {
      const response = await call();
      expectChallenge(response);
      expectToMatchOpenApi(t.openApi, response);
      expect(response.headers['x-query-count']).toBe('0');
    });

    it('treats another scheme as no token', async () => {
      expectChallenge(await call().set('Authorization', 'Basic dXNlcjpwYXNz'));
    });

    const tamper = (token: string) => {
      const [header, payload, signature] = token.split('.');
      const flipped = signature[0] === 'A' ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
      return `${header}.${payload}.${flipped}`;
    };
    const now = () => Math.floor(Date.now() / 1000);

    it.each<[string, () => string]>([
      ['an empty bearer', () => 'Bearer '],
      ['a malformed token', () => 'Bearer not-a-jwt'],
      ['a token with a space', () => 'Bearer abc def'],
      ['a tampered signature', () => `Bearer ${tamper(forgeToken(validClaims()))}`],
      ['a tampered payload', () => `Bearer ${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(validClaims({ role: 'admin' }))}.${forgeToken(validClaims()).split('.')[2]}`],
      ['alg none', () => `Bearer ${forgeToken(validClaims(), { alg: 'none' })}`],
      ['alg HS512', () => `Bearer ${forgeToken(validClaims(), { alg: 'HS512' })}`],
      ['another secret', () => `Bearer ${forgeToken(validClaims(), { secret: 'some-other-secret-0123456789abcdefghij' })}`],
      ['an expired token', () => `Bearer ${forgeToken(validClaims({ iat: now() - 7200, exp: now() - 3600 }))}`],
      ['a wrong issuer', () => `Bearer ${forgeToken(validClaims({ iss: 'someone-else' }))}`],
      ['no issuer', () => `Bearer ${forgeToken(validClaims({ iss: undefined }))}`],
      ['no expiry', () => `Bearer ${forgeToken(validClaims({ exp: undefined }))}`],
      ['a non-numeric subject', () => `Bearer ${forgeToken(validClaims({ sub: 'admin' }))}`],
      ['an unknown role', () => `Bearer ${forgeToken(validClaims({ role: 'root' }))}`],
    ])('answers 401 invalid_token for %s', async (_case, authorization) => {
      const response = await call().set('Authorization', authorization());
      expectChallenge(response, 'invalid_token');
      expectToMatchOpenApi(t.openApi, response);
    });

    it('says when the token expired', async () => {
      const expired = forgeToken(validClaims({ iat: now() - 7200, exp: now() - 3600 }));
      const response = await call().set('Authorization', `Bearer ${expired}`).expect(401);
      expect(response.headers['www-authenticate']).toContain('error_description="The access token expired"');
    });

    it("accepts a token it signed (the unknown venue's 404 proves the guard let it through)", async () => {
      const { newUser } = factories(t.dataSource);
      const user = await newUser();
      const token = forgeToken(validClaims({ sub: String(user.id) }));
      await call().set('Authorization', `Bearer ${token}`).expect(404);
    });
  });

  it('ignores a bad token on a public route', async () => {
    await t.http.get('/v1/cities').set('Authorization', 'Bearer not-a-jwt').expect(200);
  });

  describe('profiler access', () => {
    it('opens the profiler to an admin token and keeps the X-Profiler-Token path', async () => {
      const { newUser } = factories(t.dataSource);
      const tokens = t.app.get(AccessTokens);
      const admin = await newUser({ role: 'admin' });
      const user = await newUser({ role: 'user' });

      await t.http.get('/v1/_profiler/requests').set('Authorization', `Bearer ${tokens.issue(admin).accessToken}`).expect(200);
      await t.http.get('/v1/_profiler/requests').set('x-profiler-token', TEST_PROFILER_TOKEN).expect(200);
      await t.http.get('/v1/_profiler/requests').set('Authorization', `Bearer ${tokens.issue(user).accessToken}`).expect(401);
      await t.http.get('/v1/_profiler/requests').set('Authorization', `Bearer ${forgeToken(validClaims({ role: 'admin' }), { alg: 'none' })}`).expect(401);
      await t.http.get('/v1/_profiler/requests').expect(401);
    });
  });
});

describe('login rate limit', () => {
  let t: TestApp;

  afterEach(() => t.close());

  it('answers 429 with Retry-After and a problem body after LOGIN_RATE_LIMIT attempts a minute from one client', async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '3' } });
    const attempt = () => t.http.post('/v1/auth/login').send({ email: 'someone@example.com', password: 'wrong-password' });
    for (let n = 0; n < 3; n++) await attempt().expect(401);
    const limited = await attempt().expect(429);
    expect(limited.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(limited.body).toMatchObject({ status: 429, type: '/problems/too-many-login-attempts' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expectToMatchOpenApi(t.openApi, limited);
  });

  it('does not trust X-Forwarded-For unless TRUST_PROXY is on', async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '2' } });
    const attempt = (forwardedFor: string) =>
      t.http.post('/v1/auth/login').set('X-Forwarded-For', forwardedFor).send({ email: 'someone@example.com', password: 'wrong-password' });
    await attempt('10.0.0.1').expect(401);
    await attempt('10.0.0.2').expect(401);
    await attempt('10.0.0.3').expect(429);
  });

  it('limits each forwarded client separately behind a trusted proxy', async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '2', TRUST_PROXY: '1' } });
    const attempt = (forwardedFor: string) =>
      t.http.post('/v1/auth/login').set('X-Forwarded-For', forwardedFor).send({ email: 'someone@example.com', password: 'wrong-password' });
    await attempt('10.0.0.1').expect(401);
    await attempt('10.0.0.1').expect(401);
    await attempt('10.0.0.1').expect(429);
    await attempt('10.0.0.2').expect(401);
  });

  it('behind one trusted hop, keys on the address the proxy appended: forged left-most entries buy no attempts', async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '2', TRUST_PROXY: '1' } });
    const attempt = (forged: string) =>
      t.http.post('/v1/auth/login').set('X-Forwarded-For', `${forged}, 10.0.0.9`).send({ email: 'someone@example.com', password: 'wrong-password' });
    await attempt('198.51.100.1').expect(401);
    await attempt('198.51.100.2').expect(401);
    await attempt('198.51.100.3').expect(429);
  });
});

describe('auth configuration and production rules', () => {
  it.each(['true', '0', 'everyone'])('refuses TRUST_PROXY=%s, naming it (true would trust a forged X-Forwarded-For)', (value) => {
    expect(() => loadAppConfig({ TRUST_PROXY: value })).toThrow(/^Invalid configuration:\n  TRUST_PROXY=/);
  });

  it.each([
    ['false', false],
    ['1', 1],
    ['10.0.0.0/8, fd00::/8', '10.0.0.0/8, fd00::/8'],
  ])('takes TRUST_PROXY=%s as a hop count or trusted networks', (value, setting) => {
    expect(loadAppConfig({ TRUST_PROXY: value }).trustProxy).toEqual(setting);
  });

  it('stops a production boot without JWT_SECRET, naming it', () => {
    expect(() => loadAppConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET=undefined: JWT_SECRET is required when NODE_ENV=production/);
  });

  it('refuses a JWT_SECRET shorter than 32 characters', () => {
    expect(() => loadAppConfig({ JWT_SECRET: 'too-short' })).toThrow(/JWT_SECRET=/);
  });

  it('runs outside production without JWT_SECRET (random per start)', () => {
    expect(loadAppConfig({ NODE_ENV: 'development' }).JWT_SECRET).toBeUndefined();
  });

  describe('demo logins', () => {
    const demoLogins = [
      { email: 'demo@example.com', password: 'demo-password', role: 'user' as const },
      { email: 'admin@example.com', password: 'admin-password', role: 'admin' as const },
    ];

    async function withDemoLogins(env: Record<string, string>, check: (t: TestApp) => Promise<void>): Promise<void> {
      const t = await startTestApp({ env });
      try {
        const { newUser } = factories(t.dataSource);
        for (const login of demoLogins) await newUser({ email: login.email, role: login.role, passwordHash: await hash(login.password) });
        await check(t);
      } finally {
        await t.close();
      }
    }

    it('accepts them outside production', () =>
      withDemoLogins({}, async (t) => {
        for (const { email, password } of demoLogins) await t.http.post('/v1/auth/login').send({ email, password }).expect(200);
      }));

    it('refuses them in production with the ordinary 401', () =>
      withDemoLogins({ NODE_ENV: 'production', JWT_SECRET }, async (t) => {
        for (const { email, password } of demoLogins) {
          const response = await t.http.post('/v1/auth/login').send({ email: email.toUpperCase(), password }).expect(401);
          expect(response.body.type).toBe('/problems/invalid-credentials');
        }
      }));
  });
});
