import { spawnSync } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { AccessTokens } from '../../src/auth/access-tokens';
import { ReferenceCatalog } from '../../src/reference/reference-catalog';
import { addDays, todayUtc } from '../../src/common/calendar-date';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { factories, UserRow, VenueRow } from '../support/factories';
import { expectToMatchOpenApi } from '../support/openapi';
import { startTestApp, TestApp } from '../support/test-app';
import { eventually } from '../support/eventually';
import { TcpRelay } from '../support/tcp-relay';

/*
 * SPEC §2 scale-out: API instances sharing one PostgreSQL and one Redis. Needs a Redis server:
 * REDIS_URL, else redis://127.0.0.1:6379. Without one reachable, the Redis tests are skipped and
 * say so; the memory-store and closed-port tests need no Redis and always run.
 */
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Jest collects tests synchronously, so reachability is probed in a child process before describe() runs. */
function redisAnswers(url: string): boolean {
  const probe = `
    const { hostname, port } = new URL(process.argv[1]);
    const socket = require('node:net').connect(Number(port || 6379), hostname);
    socket.setTimeout(1000, () => process.exit(1));
    socket.on('error', () => process.exit(1));
    socket.on('connect', () => socket.write('PING\\r\\n'));
    socket.on('data', (data) => process.exit(String(data).startsWith('+PONG') ? 0 : 1));`;
  return spawnSync(process.execPath, ['-e', probe, url], { timeout: 3000 }).status === 0;
}

const redisReachable = redisAnswers(REDIS_URL);
if (!redisReachable) {
  process.stderr.write(`\nSKIPPED: the Redis scale-out tests (bookings-scale-out.e2e-spec.ts): no Redis answers at ${REDIS_URL}; set REDIS_URL to run them.\n\n`);
}
const describeWithRedis = redisReachable ? describe : describe.skip;

/** A TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * One Madrid venue with a morning and an evening slot every day, and the users who book it.
 * Discovery resolves city slugs from an in-memory catalog: every instance reloads it before use.
 */
async function seedVenue(t: TestApp, ...otherInstances: TestApp[]): Promise<{ venue: VenueRow; users: UserRow[] }> {
  const f = factories(t.dataSource);
  const city = await f.newCity({ slug: 'madrid', name: 'Madrid', countryCode: 'ES', timezone: 'Europe/Madrid' });
  const category = await f.newCategory();
  const host = await f.newUser({ role: 'host' });
  const venue = await f.newVenue({ slug: 'sky-terrace', cityId: city.id, categoryId: category.id, hostId: host.id });
  for (let weekday = 0; weekday < 7; weekday++) {
    await f.newSlot({ venueId: venue.id, weekday, code: 'morning', startsAt: '09:00', endsAt: '13:00' });
    await f.newSlot({ venueId: venue.id, weekday, code: 'evening', startsAt: '18:00', endsAt: '23:00' });
  }
  for (const instance of [t, ...otherInstances]) await instance.app.get(ReferenceCatalog).refresh();
  return { venue, users: [await f.newUser(), await f.newUser()] };
}

const bearer = (t: TestApp, user: UserRow) => ({ Authorization: `Bearer ${t.app.get(AccessTokens).issue(user).accessToken}` });
const freeSlots = (body: { data: Array<{ id: number; availability: { slots: Array<{ code: string }> } }> }, venue: VenueRow) =>
  body.data.find((card) => card.id === venue.id)!.availability.slots.map((slot) => slot.code);
/** Dates a few days out (the venue's "today" in Madrid is at most one day off UTC's). */
let dayOffset = 3;
const nextDate = () => addDays(todayUtc(), dayOffset++);

describeWithRedis(`two API instances sharing PostgreSQL and Redis (${REDIS_URL})`, () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let venue: VenueRow;
  let users: UserRow[];

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await startTestApp({ database, env: { REDIS_URL } });
    b = await startTestApp({ database, env: { REDIS_URL } });
    ({ venue, users } = await seedVenue(a, b));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('share one response cache: what one instance computed, the other serves as a hit', async () => {
    const url = `/v1/discovery/venues?city=madrid&date=${nextDate()}`;
    expect((await b.http.get(url).expect(200)).headers['x-cache']).toBe('MISS');
    expect((await a.http.get(url).expect(200)).headers['x-cache']).toBe('HIT');
  });

  it('show a booking made through instance A in discovery through instance B on the next request, and its cancellation through B on A', async () => {
    const date = nextDate();
    const url = `/v1/discovery/venues?city=madrid&date=${date}`;
    await b.http.get(url).expect(200);
    const cached = await b.http.get(url).expect(200);
    expect(cached.headers['x-cache']).toBe('HIT');
    expect(freeSlots(cached.body, venue)).toEqual(['morning', 'evening']);

    const booking = await a.http.post(`/v1/venues/${venue.slug}/bookings`).set(bearer(a, users[0])).send({ date, slot: 'evening', guests: 10 }).expect(201);

    const afterBooking = await b.http.get(url).expect(200);
    expect(afterBooking.headers['x-cache']).toBe('MISS');
    expect(freeSlots(afterBooking.body, venue)).toEqual(['morning']);
    expectToMatchOpenApi(b.openApi, afterBooking);

    await b.http.delete(`/v1/bookings/${booking.body.id}`).set(bearer(b, users[0])).expect(200);
    const afterCancel = await a.http.get(url).expect(200);
    expect(afterCancel.headers['x-cache']).toBe('MISS');
    expect(freeSlots(afterCancel.body, venue)).toEqual(['morning', 'evening']);
  });

  it('keep idempotency across instances: a retry through B replays what A answered', async () => {
    const body = { date: nextDate(), slot: 'morning', guests: 10 };
    const first = await a.http.post(`/v1/venues/${venue.slug}/bookings`).set(bearer(a, users[1])).set('Idempotency-Key', 'across-instances').send(body).expect(201);
    const retry = await b.http.post(`/v1/venues/${venue.slug}/bookings`).set(bearer(b, users[1])).set('Idempotency-Key', 'across-instances').send(body).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('report the Redis cache store as up in readiness', async () => {
    const response = await a.http.get('/health/ready').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.info.cache).toEqual({ status: 'up', store: 'redis' });
  });
});

describeWithRedis(`Redis stopping and coming back mid-test (relay to ${REDIS_URL})`, () => {
  let t: TestApp;
  let relay: TcpRelay;
  let venue: VenueRow;
  let users: UserRow[];
  const cacheUp = async () => (await t.http.get('/health/ready')).body.info?.cache?.status === 'up';

  beforeAll(async () => {
    relay = TcpRelay.to(REDIS_URL, 6379);
    await relay.start();
    t = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${relay.port}` } });
    ({ venue, users } = await seedVenue(t));
    await eventually(cacheUp, 'the cache store to connect');
  });
  afterAll(async () => {
    await t?.close();
    await relay?.stop();
  });

  it('answers from the database while Redis is away, reports the cache degraded, and uses it again once it is back', async () => {
    const date = nextDate();
    const url = `/v1/discovery/venues?city=madrid&date=${date}`;
    await t.http.get(url).expect(200);
    expect((await t.http.get(url).expect(200)).headers['x-cache']).toBe('HIT');

    await relay.stop();
    const duringOutage = await t.http.get(url).expect(200);
    expect(duringOutage.headers['x-cache']).toBe('MISS');
    expect(freeSlots(duringOutage.body, venue)).toEqual(['morning', 'evening']);
    await t.http.post(`/v1/venues/${venue.slug}/bookings`).set(bearer(t, users[0])).send({ date, slot: 'evening', guests: 10 }).expect(201);
    expect(freeSlots((await t.http.get(url).expect(200)).body, venue)).toEqual(['morning']);
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.info.cache).toEqual({ status: 'degraded', store: 'redis', message: expect.stringMatching(/unreachable/) });
    expect(ready.body.info.database.status).toBe('up');

    await relay.start();
    await eventually(cacheUp, 'the cache store to reconnect');
    await t.http.get(url).expect(200);
    const hit = await t.http.get(url).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(freeSlots(hit.body, venue)).toEqual(['morning']);
  });
});

describe('Redis at a closed port (no Redis needed)', () => {
  let t: TestApp;
  let venue: VenueRow;
  let users: UserRow[];

  beforeAll(async () => {
    t = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` } });
    ({ venue, users } = await seedVenue(t));
  });
  afterAll(() => t.close());

  it('serves discovery (200, every request a miss), books and cancels, never a 500, without waiting on Redis', async () => {
    const date = nextDate();
    const url = `/v1/discovery/venues?city=madrid&date=${date}`;
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const response = await t.http.get(url).expect(200);
      expect(response.headers['x-cache']).toBe('MISS');
      expect(Date.now() - started).toBeLessThan(t.config.REDIS_TIMEOUT_MS);
      expectToMatchOpenApi(t.openApi, response);
    }
    const booking = await t.http.post(`/v1/venues/${venue.slug}/bookings`).set(bearer(t, users[0])).send({ date, slot: 'morning', guests: 10 }).expect(201);
    expect(freeSlots((await t.http.get(url).expect(200)).body, venue)).toEqual(['evening']);
    await t.http.delete(`/v1/bookings/${booking.body.id}`).set(bearer(t, users[0])).expect(200);
    expect(freeSlots((await t.http.get(url).expect(200)).body, venue)).toEqual(['morning', 'evening']);
  });

  it('stays ready (200) with the cache reported degraded', async () => {
    const response = await t.http.get('/health/ready').expect(200);
    expect(response.body).toEqual(
      expect.objectContaining({
        status: 'degraded',
        info: {
          database: expect.objectContaining({ status: 'up' }),
          cache: { status: 'degraded', store: 'redis', message: expect.stringMatching(/unreachable/) },
        },
        error: {},
      }),
    );
  });
});

describe('without REDIS_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { REDIS_URL: '' } });
  });
  afterAll(() => t.close());

  it('caches in process memory and reports that store as up', async () => {
    const response = await t.http.get('/health/ready').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.info.cache).toEqual({ status: 'up', store: 'memory' });
  });
});
