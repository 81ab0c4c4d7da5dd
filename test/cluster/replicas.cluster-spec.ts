import { Agent } from 'node:http';
import type { ApiReplica } from '../../cluster/api-replica';
import { Cluster, startCluster } from '../../cluster/cluster';
import { freePorts } from '../../cluster/ports';
import { recreateDatabase } from '../../cluster/postgres-server';
import { withClient } from '../../src/database/postgres-admin';
import { addDays, todayUtc } from '../../src/common/calendar-date';
import { migrations } from '../../src/database/migrations';
import { accessToken, answeredOn, readEdgeLog, registerAccount } from './support/api';
import { RawResponse, readUntil, send, sendForJson } from './support/http';
import { SilentRedis } from './support/silent-redis';

/*
 * SPEC §2 and §11 with real processes: two production API replicas on the demo dataset behind
 * nginx, sharing PostgreSQL and Redis (`npm run cluster`'s code). The login and registration
 * limits are set out of the way here; edge.cluster-spec.ts tests them.
 */
const GENEROUS_LIMITS = { LOGIN_RATE_LIMIT: '1000', LOGIN_ACCOUNT_RATE_LIMIT: '1000', REGISTER_RATE_LIMIT: '1000' };

let cluster: Cluster;
let cities: string[];

beforeAll(async () => {
  cluster = await startCluster({ ports: await freePorts(), seed: 'demo', apiEnv: GENEROUS_LIMITS });
  cities = (await sendForJson<{ data: Array<{ slug: string }> }>(cluster.edgeUrl, { path: '/v1/cities' }, 200)).body.data.map((city) => city.slug);
}, 300_000);

afterAll(() => cluster?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const discoveryPath = (city: string, date: string) => `/v1/discovery/venues?city=${city}&date=${date}&pageSize=100`;

interface DiscoveryPage {
  data: Array<{
    slug: string;
    capacity: { min: number };
    availability: { isHoliday: boolean; slots: Array<{ code: string }> };
  }>;
}

interface BookableSlot {
  city: string;
  venue: string;
  date: string;
  slot: string;
  guests: number;
}

const freeSlotCodes = (page: DiscoveryPage, venue: string) => page.data.find((card) => card.slug === venue)?.availability.slots.map((slot) => slot.code);

/** `count` free slots, each on another day from `firstDay` days ahead on, as discovery through the edge shows them. */
async function findBookableSlots(count: number, firstDay: number): Promise<BookableSlot[]> {
  const found: BookableSlot[] = [];
  for (let day = firstDay; found.length < count; day++) {
    const date = addDays(todayUtc(), day);
    for (const city of cities) {
      const { body } = await sendForJson<DiscoveryPage>(cluster.edgeUrl, { path: discoveryPath(city, date) }, 200);
      const card = body.data.find((candidate) => !candidate.availability.isHoliday && candidate.availability.slots.length > 0);
      if (card) {
        found.push({ city, venue: card.slug, date, slot: card.availability.slots[0].code, guests: card.capacity.min });
        break;
      }
    }
  }
  return found;
}

function book(baseUrl: string, token: string, slot: BookableSlot, idempotencyKey?: string): Promise<RawResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  return send(baseUrl, { method: 'POST', path: `/v1/venues/${slot.venue}/bookings`, json: { date: slot.date, slot: slot.slot, guests: slot.guests }, headers });
}

async function signedIn(baseUrl: string, localAddress: string, label: string): Promise<{ accountId: number; token: string }> {
  const account = await registerAccount(baseUrl, localAddress, label);
  return { accountId: account.id, token: await accessToken(baseUrl, account, localAddress) };
}

describe('cross-replica cache invalidation (shared Redis data versions)', () => {
  it('shows a booking made through replica A in discovery through replica B on the next request', async () => {
    const [a, b] = cluster.replicas;
    const { token } = await signedIn(a.url, '127.0.3.1', 'invalidation');
    const [slot] = await findBookableSlots(1, 20);
    const path = discoveryPath(slot.city, slot.date);

    await sendForJson(b.url, { path }, 200);
    const cached = await sendForJson<DiscoveryPage>(b.url, { path }, 200);
    expect(cached.headers['x-cache']).toBe('HIT');
    expect(freeSlotCodes(cached.body, slot.venue)).toContain(slot.slot);

    expect((await book(a.url, token, slot)).status).toBe(201);

    const next = await sendForJson<DiscoveryPage>(b.url, { path }, 200);
    expect(next.headers['x-cache']).toBe('MISS');
    expect(freeSlotCodes(next.body, slot.venue)).not.toContain(slot.slot);
  });
});

describe('kill -9 of one replica under load through nginx', () => {
  const GETS = 300;
  const GET_CLIENTS = 4;
  const KILL_AFTER_GETS = 60;
  /** Sent together right before the kill, so that some are being handled by the killed replica. */
  const BOOKINGS_AROUND_KILL = 6;
  const BOOKINGS_AFTER_KILL = 6;
  const BOOKINGS = BOOKINGS_AROUND_KILL + BOOKINGS_AFTER_KILL;
  const MAX_BOOKING_ATTEMPTS = 20;

  /** What a client does with a booking it must not lose: the same Idempotency-Key again until a definite answer. */
  async function bookUntilAnswered(token: string, slot: BookableSlot, key: string): Promise<{ status: number; attempts: number }> {
    for (let attempt = 1; ; attempt++) {
      const response = await book(cluster.edgeUrl, token, slot, key).catch(() => undefined);
      const inFlight = response?.status === 409 && response.body.includes('idempotency-key-in-flight');
      const retry = response === undefined || [502, 503, 504].includes(response.status) || inFlight;
      if (!retry || attempt === MAX_BOOKING_ATTEMPTS) return { status: response?.status ?? 0, attempts: attempt };
      await sleep(200);
    }
  }

  it('answers every GET (nginx retries them on the other replica), creates exactly one booking per Idempotency-Key, and serves from the restarted replica again', async () => {
    const [victim] = cluster.replicas;
    const { accountId, token } = await signedIn(cluster.edgeUrl, '127.0.3.2', 'load');
    const slots = await findBookableSlots(BOOKINGS, 40);
    const getPaths = ['/v1/cities', '/v1/categories', ...cities.flatMap((city) => [1, 2, 3].map((day) => discoveryPath(city, addDays(todayUtc(), day))))];
    const getStatuses: Array<number | string> = [];
    let killed: Promise<unknown> | undefined;

    const getClient = async (client: number) => {
      const agent = new Agent({ keepAlive: true });
      for (let index = client; index < GETS; index += GET_CLIENTS) {
        const response = await send(cluster.edgeUrl, { path: getPaths[index % getPaths.length], agent }).catch((error: Error) => error.message);
        getStatuses.push(typeof response === 'string' ? response : response.status);
      }
      agent.destroy();
    };
    const key = (index: number) => `cluster-load-${accountId}-${index}`;
    const untilGets = async (count: number) => {
      while (getStatuses.length < count) await sleep(10);
    };
    const bookingClient = async () => {
      await untilGets(KILL_AFTER_GETS);
      const aroundKill = slots.slice(0, BOOKINGS_AROUND_KILL).map((slot, index) => bookUntilAnswered(token, slot, key(index)));
      // A moment for the burst to reach both replicas (a scheduling choice: nothing is measured).
      await sleep(5);
      killed = victim.process!.kill('SIGKILL');
      const outcomes = await Promise.all(aroundKill);
      for (let index = BOOKINGS_AROUND_KILL; index < BOOKINGS; index++) {
        // Spread over the rest of the load.
        await untilGets(KILL_AFTER_GETS + ((index - BOOKINGS_AROUND_KILL + 1) * (GETS - KILL_AFTER_GETS)) / (BOOKINGS_AFTER_KILL + 1));
        outcomes.push(await bookUntilAnswered(token, slots[index], key(index)));
      }
      return outcomes;
    };

    const [bookingOutcomes] = await Promise.all([bookingClient(), ...Array.from({ length: GET_CLIENTS }, (_, client) => getClient(client))]);
    await killed;

    expect(getStatuses).toHaveLength(GETS);
    expect(getStatuses.filter((status) => status !== 200 && status !== 304)).toEqual([]);
    expect(bookingOutcomes.map((outcome) => outcome.status)).toEqual(Array<number>(BOOKINGS).fill(201));
    const perKey = await withClient(cluster.databaseUrl, async (client) => {
      const { rows } = await client.query<{ key: string; bookings: number }>(
        'SELECT idempotency_key AS key, count(*)::int AS bookings FROM bookings WHERE user_id = $1 GROUP BY idempotency_key ORDER BY idempotency_key',
        [accountId],
      );
      return Object.fromEntries(rows.map((row) => [row.key, row.bookings]));
    });
    expect(perKey).toEqual(Object.fromEntries(slots.map((_, index) => [key(index), 1])));

    // A request nginx sent to the killed replica and saw fail (502): a GET passed on to the other, a POST answered 502.
    const victimAddress = `127.0.0.1:${victim.port}`;
    const failedOnVictim = readEdgeLog(cluster).filter((entry) => entry.upstreams[0]?.address === victimAddress && entry.upstreams[0].status === '502');
    expect(failedOnVictim.length).toBeGreaterThan(0);
    const passedOn = failedOnVictim.filter((entry) => entry.method === 'GET' && entry.status === 200).length;
    process.stderr.write(
      `kill -9 under load: ${GETS} GETs all answered, ${passedOn} of them passed on by nginx from the killed replica to the other; ` +
        `${failedOnVictim.length - passedOn} other requests failed on it; attempts per booking ${bookingOutcomes.map((outcome) => outcome.attempts).join(',')}\n`,
    );

    await victim.start();
    const servedByRestarted = await readUntil(
      async () => {
        for (let request = 0; request < 4; request++) await sendForJson(cluster.edgeUrl, { path: '/v1/cities' }, 200);
        return answeredOn(victim, 'GET', '/v1/cities');
      },
      (served) => served > 0,
    );
    expect(servedByRestarted).toBeGreaterThan(0);
  });
});

describe('replicas started together on an empty database', () => {
  const ROUNDS = 5;
  const RACE_DATABASE = 'venues_migration_race';

  afterAll(async () => {
    await Promise.all(cluster.replicas.map((replica) => replica.stop()));
    await Promise.all(cluster.replicas.map((replica) => replica.start()));
  });

  it(`migrate it once and both become ready (${ROUNDS} rounds)`, async () => {
    const raceUrl = `${cluster.serverUrl}/${RACE_DATABASE}`;
    // TypeORM records each migration under its class name.
    const expected = migrations.map((migration) => ({ name: migration.name, times: 1 })).sort((x, y) => x.name.localeCompare(y.name));
    for (let round = 1; round <= ROUNDS; round++) {
      await Promise.all(cluster.replicas.map((replica) => replica.stop()));
      await recreateDatabase(cluster.serverUrl, RACE_DATABASE);
      // Both spawned in the same tick: neither waits for the other.
      await Promise.all(cluster.replicas.map((replica) => replica.start({ DATABASE_URL: raceUrl })));

      const applied = await withClient(raceUrl, async (client) => {
        const { rows } = await client.query<{ name: string; times: number }>('SELECT name, count(*)::int AS times FROM migrations GROUP BY name');
        return rows.sort((x, y) => x.name.localeCompare(y.name));
      });
      expect({ round, applied }).toEqual({ round, applied: expected });
    }
  });
});

describe('a Redis that accepts connections and never answers', () => {
  const REDIS_TIMEOUT_MS = 200;
  type Readiness = { info?: Record<string, { status: string }>; details?: Record<string, { status: string }> };
  const cacheStatus = (readiness: Readiness) => (readiness.details ?? readiness.info)?.cache?.status;

  /** Runs `work` with replica B on `redis` (a short timeout, a breaker that stays open throughout), then puts B back on the real Redis. */
  async function withReplicaBOn(redis: SilentRedis, work: (replica: ApiReplica) => Promise<void>): Promise<void> {
    const replica = cluster.replicas[1];
    await replica.stop();
    try {
      await replica.start({ REDIS_URL: redis.url, REDIS_TIMEOUT_MS: String(REDIS_TIMEOUT_MS), REDIS_BREAKER_OPEN_MS: '120000' });
      await work(replica);
    } finally {
      await replica.stop();
      await redis.stop();
      await replica.start();
    }
  }

  /**
   * The first request runs into the silence and still answers 200; after it Redis is skipped:
   * more requests (each another cache key) all 200, readiness 200 with the cache degraded, and
   * not one more command reaches the silent server.
   */
  async function expectOneWindowThenSkipped(replica: ApiReplica, redis: SilentRedis, firstDay: number): Promise<void> {
    const day = (offset: number) => addDays(todayUtc(), firstDay + offset);
    expect((await send(replica.url, { path: discoveryPath(cities[0], day(0)) })).status).toBe(200);
    // Whatever was waiting on the silent server has timed out by now (a wait, not a measured threshold).
    await sleep(5 * REDIS_TIMEOUT_MS);
    const receivedBefore = redis.received.length;

    const statuses: number[] = [];
    for (const [index, city] of cities.entries()) {
      statuses.push((await send(replica.url, { path: discoveryPath(city, day(index + 1)) })).status);
      statuses.push((await send(replica.url, { path: '/v1/cities' })).status);
    }
    const ready = await sendForJson<Readiness>(replica.url, { path: '/health/ready' }, 200);

    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(cacheStatus(ready.body)).toBe('degraded');
    expect(redis.received.length).toBeGreaterThan(0);
    expect(redis.received.slice(receivedBefore).map((command) => command.name)).toEqual([]);
    const span = redis.received[redis.received.length - 1].at - redis.received[0].at;
    process.stderr.write(`silent Redis: ${redis.received.length} commands (${redis.received.map((command) => command.name).join(' ')}) within ${span} ms; REDIS_TIMEOUT_MS=${REDIS_TIMEOUT_MS}\n`);
  }

  it('from the start: costs one timeout window, then the breaker skips it; requests stay 200 and readiness says degraded', async () => {
    const redis = await SilentRedis.start();
    await withReplicaBOn(redis, (replica) => expectOneWindowThenSkipped(replica, redis, 60));
  });

  it('going silent while connected (a hung Redis): the same, on the connection already open', async () => {
    const redis = await SilentRedis.start(cluster.redisUrl);
    await withReplicaBOn(redis, async (replica) => {
      const ready = await readUntil(() => sendForJson<Readiness>(replica.url, { path: '/health/ready' }, 200), (response) => cacheStatus(response.body) === 'up');
      expect(cacheStatus(ready.body)).toBe('up');
      const path = discoveryPath(cities[0], addDays(todayUtc(), 80));
      await sendForJson(replica.url, { path }, 200);
      expect((await sendForJson(replica.url, { path }, 200)).headers['x-cache']).toBe('HIT');

      redis.silence();
      await expectOneWindowThenSkipped(replica, redis, 81);
    });
  });
});
