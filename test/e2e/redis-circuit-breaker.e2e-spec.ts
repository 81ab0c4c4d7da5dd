import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { AccessTokens } from '../../src/auth/access-tokens';
import { addDays, todayUtc } from '../../src/common/calendar-date';
import { ReferenceCatalog } from '../../src/reference/reference-catalog';
import { eventually } from '../support/eventually';
import { factories, UserRow, VenueRow } from '../support/factories';
import { expectToMatchOpenApi } from '../support/openapi';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * SPEC §11: a Redis that accepts connections but never answers costs at most one REDIS_TIMEOUT_MS,
 * then the circuit breaker skips it for REDIS_BREAKER_OPEN_MS and one new connection tries it again.
 * What reached the silent Redis is counted from the commands it received, never from timings.
 * The answering Redis behind the front is REDIS_URL, else redis://127.0.0.1:6379 (as in CI).
 */
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const REDIS_TIMEOUT_MS = 300;
/** Longer than any test here runs: no trial connection happens while commands are counted. */
const BREAKER_OPEN_FOR_THE_TEST_MS = 600_000;
const REQUESTS = 20;

/** The complete RESP commands (arrays of bulk strings, as clients send them) at the start of `buffer`. */
function readCommands(buffer: Buffer): { commands: string[][]; consumed: number } {
  const commands: string[][] = [];
  let consumed = 0;
  for (let command = readCommand(buffer, 0); command; command = readCommand(buffer, consumed)) {
    commands.push(command.args);
    consumed = command.end;
  }
  return { commands, consumed };
}

/** The command that starts at `start`, or undefined while it has not arrived whole. */
function readCommand(buffer: Buffer, start: number): { args: string[]; end: number } | undefined {
  let offset = start;
  const nextLine = (): string | undefined => {
    const end = buffer.indexOf('\r\n', offset);
    if (end < 0) return undefined;
    const line = buffer.toString('latin1', offset, end);
    offset = end + 2;
    return line;
  };
  const header = nextLine(); // *<argument count>
  if (header === undefined) return undefined;
  const args: string[] = [];
  while (args.length < Number(header.slice(1))) {
    const length = Number(nextLine()?.slice(1)); // $<byte length>
    if (Number.isNaN(length) || buffer.length < offset + length + 2) return undefined;
    args.push(buffer.toString('utf8', offset, offset + length));
    offset += length + 2;
  }
  return { args, end: offset };
}

/**
 * A TCP front for a real Redis that can fall silent. Answering, it relays every connection to
 * REDIS_URL. Silent, it accepts connections and reads every byte but never writes one, as a Redis
 * that is stopped (SIGSTOP), stuck, or behind a proxy whose backend is gone; a connection that was
 * silent once stays silent (the replies it swallowed can never come). It records every command
 * it received and whether it was swallowed.
 */
class SilentRedisFront {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private silent = false;
  port = 0;
  connections = 0;
  readonly received: Array<{ command: string[]; swallowed: boolean }> = [];

  async start(options: { silent: boolean }): Promise<void> {
    this.silent = options.silent;
    const target = new URL(REDIS_URL);
    this.server = createServer((client) => {
      this.connections += 1;
      const upstream = this.silent ? undefined : connect(Number(target.port || 6379), target.hostname);
      let stalled = this.silent;
      let pending = Buffer.alloc(0);
      for (const socket of upstream ? [client, upstream] : [client]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      upstream?.pipe(client);
      client.on('data', (chunk: Buffer) => {
        stalled ||= this.silent;
        if (!stalled) upstream!.write(chunk);
        pending = Buffer.concat([pending, chunk]);
        const { commands, consumed } = readCommands(pending);
        pending = pending.subarray(consumed);
        for (const command of commands) this.received.push({ command, swallowed: stalled });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** From now on nothing is answered, on open connections and new ones. */
  fallSilent(): void {
    this.silent = true;
  }

  /** New connections are relayed to Redis again (silent ones stay silent). */
  answerAgain(): void {
    this.silent = false;
  }

  swallowed(): string[][] {
    return this.received.filter((entry) => entry.swallowed).map((entry) => entry.command);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** A Madrid venue with a slot every day, a user to book it, and the slug catalog reloaded. */
async function seedVenue(t: TestApp): Promise<{ venue: VenueRow; user: UserRow }> {
  const f = factories(t.dataSource);
  const city = await f.newCity({ slug: 'madrid', name: 'Madrid', countryCode: 'ES', timezone: 'Europe/Madrid' });
  const host = await f.newUser({ role: 'host' });
  const venue = await f.newVenue({ cityId: city.id, categoryId: (await f.newCategory()).id, hostId: host.id });
  for (let weekday = 0; weekday < 7; weekday++) await f.newSlot({ venueId: venue.id, weekday, code: 'evening', startsAt: '18:00', endsAt: '23:00' });
  await t.app.get(ReferenceCatalog).refresh();
  return { venue, user: await f.newUser() };
}

/** Dates a few days out, a new one per call: each discovery request for one is a cache miss. */
let dayOffset = 3;
const nextDate = () => addDays(todayUtc(), dayOffset++);
const discovery = (t: TestApp, date = nextDate()) => t.http.get(`/v1/discovery/venues?city=madrid&date=${date}`);
const cacheStatus = async (t: TestApp) => (await t.http.get('/health/ready')).body.info?.cache?.status;

/** Discovery misses, a booking (whose city version bump is a cache write) and the reference lists: all 200/201, never a 500. */
async function serveEverything(t: TestApp, venue: VenueRow, user: UserRow): Promise<void> {
  for (let i = 0; i < REQUESTS; i++) {
    const response = await discovery(t).expect(200);
    expect(response.headers['x-cache']).toBe('MISS');
  }
  const bearer = `Bearer ${t.app.get(AccessTokens).issue(user).accessToken}`;
  await t.http.post(`/v1/venues/${venue.slug}/bookings`).set('Authorization', bearer).send({ date: nextDate(), slot: 'evening', guests: 10 }).expect(201);
  await t.http.get('/v1/cities').expect(200);
}

async function expectReadyWithCacheDegraded(t: TestApp): Promise<void> {
  const ready = await t.http.get('/health/ready').expect(200);
  expect(ready.body.status).toBe('degraded');
  expect(ready.body.info.database.status).toBe('up');
  expect(ready.body.info.cache).toEqual({ status: 'degraded', store: 'redis', message: expect.stringMatching(/unreachable/) });
  expectToMatchOpenApi(t.openApi, ready);
}

interface Setup {
  front: SilentRedisFront;
  t: TestApp;
  venue: VenueRow;
  user: UserRow;
}

/** For the enclosing describe: a front, silent or answering from the start, and a seeded app whose REDIS_URL is the front. */
function appBehindFront(options: { silent: boolean; breakerOpenMs: number }): Setup {
  const setup = {} as Setup;
  beforeAll(async () => {
    setup.front = new SilentRedisFront();
    await setup.front.start(options);
    setup.t = await startTestApp({
      env: { REDIS_URL: `redis://127.0.0.1:${setup.front.port}`, REDIS_TIMEOUT_MS: String(REDIS_TIMEOUT_MS), REDIS_BREAKER_OPEN_MS: String(options.breakerOpenMs) },
    });
    ({ venue: setup.venue, user: setup.user } = await seedVenue(setup.t));
    if (options.silent) await eventually(async () => setup.front.connections > 0, 'the client to connect');
    else await eventually(async () => (await cacheStatus(setup.t)) === 'up', 'the cache store to connect');
  });
  afterAll(async () => {
    await setup.t?.close();
    await setup.front?.stop();
  });
  return setup;
}

describe('a Redis that accepts connections but never answers, from the start', () => {
  const setup = appBehindFront({ silent: true, breakerOpenMs: BREAKER_OPEN_FOR_THE_TEST_MS });

  it('serves from the database, and the silent Redis receives nothing but the one connection handshake it never answered', async () => {
    const { front, t, venue, user } = setup;
    await serveEverything(t, venue, user);
    await expectReadyWithCacheDegraded(t);

    expect(front.connections).toBe(1);
    // node-redis's handshake (CLIENT SETINFO); not one cache, limit or health command.
    expect(front.swallowed().map(([name]) => name.toUpperCase())).toEqual(['CLIENT', 'CLIENT']);
  });
});

describe('a Redis that stops answering once connected', () => {
  const setup = appBehindFront({ silent: false, breakerOpenMs: BREAKER_OPEN_FOR_THE_TEST_MS });

  it('costs one request one timeout: past it the breaker skips Redis, every request still answers', async () => {
    const { front, t, venue, user } = setup;
    const date = nextDate();
    await discovery(t, date).expect(200);
    expect((await discovery(t, date).expect(200)).headers['x-cache']).toBe('HIT');
    const before = front.received.length;
    await discovery(t).expect(200);
    const commandsOfOneMiss = front.received.length - before;
    const connections = front.connections;

    front.fallSilent();
    await serveEverything(t, venue, user);
    await expectReadyWithCacheDegraded(t);

    // Only the first request's first command waited (REDIS_TIMEOUT_MS): the breaker opened and dropped
    // the connection, and opened for longer than this test no new connection was tried.
    expect(commandsOfOneMiss).toBeGreaterThan(1);
    expect(front.swallowed().length).toBeLessThanOrEqual(1);
    expect(front.connections).toBe(connections);
  });
});

describe('the circuit breaker closing again after REDIS_BREAKER_OPEN_MS', () => {
  describe('after a command went unanswered', () => {
    const setup = appBehindFront({ silent: false, breakerOpenMs: 1000 });

    it('tries one new connection and uses Redis again once it answers, its old entries dropped', async () => {
      const { front, t } = setup;
      const date = nextDate();
      await discovery(t, date).expect(200);
      expect((await discovery(t, date).expect(200)).headers['x-cache']).toBe('HIT');
      const connections = front.connections;

      front.fallSilent();
      await discovery(t).expect(200);
      expect(await cacheStatus(t)).toBe('degraded');

      front.answerAgain();
      await eventually(async () => (await cacheStatus(t)) === 'up', 'the breaker to close');
      expect(front.connections).toBeGreaterThan(connections);
      expect((await discovery(t, date).expect(200)).headers['x-cache']).toBe('MISS');
      expect((await discovery(t, date).expect(200)).headers['x-cache']).toBe('HIT');
    });
  });

  describe('after a connection handshake went unanswered', () => {
    const setup = appBehindFront({ silent: true, breakerOpenMs: 1000 });

    it('tries one new connection and uses Redis once it answers', async () => {
      const { front, t } = setup;
      expect(await cacheStatus(t)).toBe('degraded');
      front.answerAgain();
      await eventually(async () => (await cacheStatus(t)) === 'up', 'the breaker to close');
      expect(front.connections).toBeGreaterThan(1);
      const date = nextDate();
      await discovery(t, date).expect(200);
      expect((await discovery(t, date).expect(200)).headers['x-cache']).toBe('HIT');
    });
  });
});
