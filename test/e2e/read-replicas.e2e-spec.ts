import { AccessTokens } from '../../src/auth/access-tokens';
import { addDays } from '../../src/common/calendar-date';
import { withClient } from '../../src/database/postgres-admin';
import { ReferenceCatalog } from '../../src/reference/reference-catalog';
import { eventually } from '../support/eventually';
import { CityRow, factories, UserRow, VenueRow } from '../support/factories';
import { expectToMatchOpenApi } from '../support/openapi';
import { replicaPairUnavailable, ReplicaPair, startReplicaPair, waitForReplay } from '../support/replica-pair';
import { startTestApp, TEST_PROFILER_TOKEN, TestApp } from '../support/test-app';
import type { Response } from 'supertest';

const unavailable = replicaPairUnavailable();
if (unavailable) console.warn(unavailable);
const describeWithServers = unavailable ? describe.skip : describe;

describeWithServers('read replicas (a real primary and a streaming hot standby)', () => {
  let pair: ReplicaPair;

  beforeAll(async () => {
    pair = await startReplicaPair();
  }, 60_000);

  afterAll(async () => {
    await pair?.stop();
  });

  it("streams the primary's writes to a read-only standby", async () => {
    await withClient(pair.primary.databaseUrl, (client) => client.query('CREATE TABLE streamed (value int); INSERT INTO streamed VALUES (42)'));
    await waitForReplay(pair);
    const [row] = await withClient(pair.replica.databaseUrl, async (client) => (await client.query('SELECT value, pg_is_in_recovery() AS standby FROM streamed')).rows);
    expect(row).toEqual({ value: 42, standby: true });
    await expect(withClient(pair.replica.databaseUrl, (client) => client.query('INSERT INTO streamed VALUES (1)'))).rejects.toThrow(/read-only transaction/);
  });

  describe('the API with DATABASE_REPLICA_URLS', () => {
    let t: TestApp;
    let city: CityRow;
    let venue: VenueRow;
    let guest: UserRow;
    let bookingId: number;
    // Far enough ahead to be bookable in any time zone; the slot exists on every weekday.
    const date = addDays(new Date().toISOString().slice(0, 10), 10);

    const onReplica = (sql: string) => withClient(pair.replica.databaseUrl, async (client) => (await client.query(sql)).rows);
    const serversOf = async (response: Response, app: TestApp = t): Promise<string[]> => {
      const profile = await app.http.get(`/v1/_profiler/requests/${response.headers['x-request-id']}`).set({ 'x-profiler-token': TEST_PROFILER_TOKEN }).expect(200);
      return profile.body.checkouts.map((checkout: { server: string }) => checkout.server);
    };
    /** `minPrice` (below every price here) only makes a distinct cache key. */
    const discovery = (minPrice = 0) => t.http.get(`/v1/discovery/venues?city=${city.slug}&date=${date}&minPrice=${minPrice}`).expect(200);
    const freeSlotsOf = (response: Response): string[] => response.body.data[0].availability.slots.map((slot: { code: string }) => slot.code);
    const replicasHealth = async () => (await t.http.get('/health/ready').expect(200)).body.info.replicas;

    beforeAll(async () => {
      // A lag bound no paused replay reaches in this test: only the replay position can keep discovery off the replica.
      t = await startTestApp({
        database: { url: pair.primary.databaseUrl, drop: async () => undefined },
        env: { DATABASE_REPLICA_URLS: pair.replica.databaseUrl, DATABASE_REPLICA_MAX_LAG_MS: '600000' },
      });
      const f = factories(t.dataSource);
      city = await f.newCity({ slug: 'lisbon', countryCode: 'PT' });
      const host = await f.newUser({ role: 'host' });
      const category = await f.newCategory();
      guest = await f.newUser();
      venue = await f.newVenue({ cityId: city.id, categoryId: category.id, hostId: host.id, minCapacity: 1, maxCapacity: 40 });
      for (let weekday = 0; weekday < 7; weekday++) {
        await f.newSlot({ venueId: venue.id, weekday, code: 'morning', startsAt: '09:00', endsAt: '13:00' });
        await f.newSlot({ venueId: venue.id, weekday, code: 'evening', startsAt: '18:00', endsAt: '23:00' });
      }
      await t.app.get(ReferenceCatalog).refresh();
      await waitForReplay(pair);
    }, 60_000);

    afterAll(() => t?.close());

    it('runs discovery and reference reads on the replica, a user\'s own data on the primary', async () => {
      const page = await discovery();
      expect(freeSlotsOf(page)).toEqual(['morning', 'evening']);
      expect(await serversOf(page)).toEqual(['replica 1']);
      expect(await serversOf(await t.http.get('/v1/cities').expect(200))).toEqual(['replica 1']);
      const bearer = { Authorization: `Bearer ${t.app.get(AccessTokens).issue(guest).accessToken}` };
      expect(await serversOf(await t.http.get('/v1/me/bookings').set(bearer).expect(200))).toEqual(['primary']);
      const [session] = await onReplica(`SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE application_name = 'venues-api'`);
      expect(session.sessions).toBeGreaterThan(0);
    });

    it('never serves nor caches a page the paused replica has not replayed the booking for', async () => {
      await onReplica('SELECT pg_wal_replay_pause()');
      try {
        const bearer = { Authorization: `Bearer ${t.app.get(AccessTokens).issue(guest).accessToken}` };
        const booked = await t.http.post(`/v1/venues/${venue.slug}/bookings`).set(bearer).send({ date, slot: 'evening', guests: 10 }).expect(201);
        // The committed count (3) plus the primary's WAL position read after the commit, which widens the budget.
        expect(booked.headers['x-query-count']).toBe('4');
        bookingId = booked.body.id;
        const profile = await t.http.get(`/v1/_profiler/requests/${booked.headers['x-request-id']}`).set({ 'x-profiler-token': TEST_PROFILER_TOKEN }).expect(200);
        expect(profile.body.budget).toEqual({ limit: 5, reason: "the primary's WAL position, for read replicas", used: 4, exceeded: false });
        expect(await onReplica(`SELECT count(*)::int AS bookings FROM bookings`)).toEqual([{ bookings: 0 }]);
        expect((await replicasHealth()).status).toBe('up');

        const afterBooking = await discovery();
        expect(afterBooking.headers['x-cache']).toBe('MISS');
        expect(freeSlotsOf(afterBooking)).toEqual(['morning']);
        expect(await serversOf(afterBooking)).toEqual(['primary']);
      } finally {
        await onReplica('SELECT pg_wal_replay_resume()');
      }
      await waitForReplay(pair);

      const cached = await discovery();
      expect(cached.headers['x-cache']).toBe('HIT');
      expect(freeSlotsOf(cached)).toEqual(['morning']);
      // Once the background check has seen the replay, misses go back to the replica, and agree.
      let minPrice = 1;
      let miss = await discovery(minPrice);
      while ((await serversOf(miss)).includes('primary')) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        miss = await discovery(++minPrice);
      }
      expect(await serversOf(miss)).toEqual(['replica 1']);
      expect(freeSlotsOf(miss)).toEqual(['morning']);
    });

    it('falls back to the primary while the replica lags past DATABASE_REPLICA_MAX_LAG_MS', async () => {
      const strict = await startTestApp({
        database: { url: pair.primary.databaseUrl, drop: async () => undefined },
        env: { DATABASE_REPLICA_URLS: pair.replica.databaseUrl, DATABASE_REPLICA_MAX_LAG_MS: '100' },
      });
      await onReplica('SELECT pg_wal_replay_pause()');
      try {
        // WAL waiting to be replayed, behind a last replayed commit older than the bound.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await t.dataSource.query(`UPDATE venues SET updated_at = now() WHERE id = $1`, [venue.id]);
        const health = async () => (await strict.http.get('/health/ready').expect(200)).body.info.replicas;
        await eventually(async () => (await health()).status === 'degraded', 'the lagging replica to be reported', 10_000);
        expect((await health()).replicas).toEqual([expect.objectContaining({ name: 'replica 1', state: 'lagging' })]);
        expect(await serversOf(await strict.http.get('/v1/add-ons').expect(200), strict)).toEqual(['primary']);
        expect(await serversOf(await t.http.get('/v1/add-ons').expect(200))).toEqual(['replica 1']);
      } finally {
        await onReplica('SELECT pg_wal_replay_resume()');
        await strict.close();
      }
      await waitForReplay(pair);
    });

    it('falls back to the primary while the replica is down, and says so in /health/ready', async () => {
      // SIGINT: PostgreSQL's fast shutdown, which ends the app's idle sessions instead of waiting for them.
      await pair.replica.process.kill('SIGINT');
      await eventually(async () => (await replicasHealth()).status === 'degraded', '/health/ready to report the replica', 10_000);
      const ready = await t.http.get('/health/ready').expect(200);
      expect(ready.body.status).toBe('degraded');
      expect(ready.body.info.replicas).toEqual({
        status: 'degraded',
        replicas: [expect.objectContaining({ name: 'replica 1', state: 'down' })],
        message: 'replica 1 is down: its reads go to the primary',
      });
      expectToMatchOpenApi(t.openApi, ready);

      const page = await discovery(50);
      expect(freeSlotsOf(page)).toEqual(['morning']);
      expect(await serversOf(page)).toEqual(['primary']);
      expect(await serversOf(await t.http.get('/v1/categories').expect(200))).toEqual(['primary']);

      const bearer = { Authorization: `Bearer ${t.app.get(AccessTokens).issue(guest).accessToken}` };
      const cancelled = await t.http.delete(`/v1/bookings/${bookingId}`).set(bearer).expect(200);
      expect(cancelled.headers['x-query-count']).toBe('2');
      expect(freeSlotsOf(await discovery(50))).toEqual(['morning', 'evening']);
    });
  });
});
