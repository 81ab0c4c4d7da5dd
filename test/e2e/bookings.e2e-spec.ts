import { Client } from 'pg';
import { AccessTokens } from '../../src/auth/access-tokens';
import { HolidayCalendar } from '../../src/reference/holiday-calendar';
import { ReferenceCatalog } from '../../src/reference/reference-catalog';
import { addDays } from '../../src/common/calendar-date';
import { CityRow, factories, Factories, SlotRow, UserRow, VenueRow } from '../support/factories';
import type { Response } from 'supertest';
import { expectToMatchOpenApi } from '../support/openapi';
import { expectQueryBaseline } from '../support/query-baseline';
import { startTestApp, TestApp } from '../support/test-app';

const PROBLEM_JSON = /^application\/problem\+json/;
const MADRID = 'Europe/Madrid';

/** 0 = Sunday, as venue_slots.weekday. */
const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** Resolves once some session of the app's database waits for a lock (the request reached its INSERT). */
async function waitForLockWait(t: TestApp): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const [{ waiting }] = await t.dataSource.query(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no session started waiting for a lock within 2 s');
}

/*
 * One venue in Madrid (10–50 guests, base price 100.00 EUR) with, on every weekday, a `morning`
 * slot without a price of its own and an `evening` slot at 200.00; a `brunch` slot on Sundays
 * only. It offers catering (25.00) and parking (10.00); a `dj` add-on exists but it does not offer
 * it. Each test books its own dates (`freshDate`), so tests never share a slot.
 */
describe('bookings (SPEC §7)', () => {
  let t: TestApp;
  let f: Factories;
  let madrid: CityRow;
  let venue: VenueRow;
  let inactive: VenueRow;
  let alice: UserRow;
  let bob: UserRow;
  let evening: Record<number, SlotRow>;
  const today = todayIn(MADRID);
  let dateOffset = 3;
  /** A date no other test books, never the holiday, blackout or override dates below. */
  const freshDate = (weekday?: number): string => {
    for (;;) {
      const date = addDays(today, dateOffset++);
      if (![HOLIDAY, BLACKOUT, OVERRIDE].includes(date) && (weekday === undefined || weekdayOf(date) === weekday)) return date;
    }
  };
  const HOLIDAY = addDays(today, 1);
  const BLACKOUT = addDays(today, 2);
  const OVERRIDE = addDays(today, 200);

  const bearer = (user: UserRow) => ({ Authorization: `Bearer ${t.app.get(AccessTokens).issue(user).accessToken}` });
  const book = (user: UserRow, body: object, options: { venue?: string; key?: string } = {}) => {
    const request = t.http.post(`/v1/venues/${options.venue ?? venue.slug}/bookings`).set(bearer(user));
    return (options.key === undefined ? request : request.set('Idempotency-Key', options.key)).send(body);
  };
  const confirmedRows = async (date: string): Promise<Array<{ user_id: number; slot_id: number }>> =>
    t.dataSource.query(`SELECT user_id, slot_id FROM bookings WHERE venue_id = $1 AND date = $2 AND status = 'confirmed'`, [venue.id, date]);
  const expectProblem = (response: Response, status: number, type: string, detail: RegExp) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toEqual(expect.objectContaining({ type, status }));
    expect(response.body.detail).toMatch(detail);
    expectToMatchOpenApi(t.openApi, response);
  };

  beforeAll(async () => {
    t = await startTestApp();
    f = factories(t.dataSource);
    madrid = await f.newCity({ slug: 'madrid', name: 'Madrid', countryCode: 'ES', timezone: MADRID });
    const category = await f.newCategory();
    const host = await f.newUser({ role: 'host' });
    alice = await f.newUser({ name: 'Alice' });
    bob = await f.newUser({ name: 'Bob' });
    venue = await f.newVenue({ slug: 'sky-terrace', cityId: madrid.id, categoryId: category.id, hostId: host.id, minCapacity: 10, maxCapacity: 50, basePriceCents: 10000, currency: 'EUR' });
    inactive = await f.newVenue({ cityId: madrid.id, categoryId: category.id, hostId: host.id, isActive: false });
    evening = {};
    for (let weekday = 0; weekday < 7; weekday++) {
      await f.newSlot({ venueId: venue.id, weekday, code: 'morning', startsAt: '09:00', endsAt: '13:00' });
      evening[weekday] = await f.newSlot({ venueId: venue.id, weekday, code: 'evening', startsAt: '18:00', endsAt: '23:00', priceCents: 20000 });
      await f.newSlot({ venueId: inactive.id, weekday, code: 'evening', startsAt: '18:00', endsAt: '23:00' });
    }
    await f.newSlot({ venueId: venue.id, weekday: 0, code: 'brunch', startsAt: '11:00', endsAt: '15:00', priceCents: 12000 });
    const catering = await f.newAddOn({ slug: 'catering', name: 'Catering' });
    const parking = await f.newAddOn({ slug: 'parking', name: 'Parking' });
    await f.newAddOn({ slug: 'dj', name: 'DJ' });
    await f.newVenueAddOn({ venueId: venue.id, addOnId: catering.id, priceCents: 2500 });
    await f.newVenueAddOn({ venueId: venue.id, addOnId: parking.id, priceCents: 1000 });
    await f.newHoliday({ countryCode: 'ES', date: HOLIDAY, name: 'Fiesta de prueba' });
    await f.newBlackout({ venueId: venue.id, date: BLACKOUT, reason: 'private event' });
    await f.newPriceOverride({ venueId: venue.id, date: OVERRIDE, priceCents: 15000 });
    await t.app.get(HolidayCalendar).refresh();
    await t.app.get(ReferenceCatalog).refresh();
  });
  afterAll(() => t.close());

  describe('POST /v1/venues/:idOrSlug/bookings', () => {
    it('books a slot: 201 with the booking, priced slot + add-ons, one row, never cached', async () => {
      const date = freshDate();
      const response = await book(alice, { date, slot: 'evening', guests: 20, addOns: ['parking', 'catering'] }).expect(201);
      expect(response.body).toEqual({
        id: expect.any(Number),
        venueId: venue.id,
        date,
        slot: 'evening',
        guests: 20,
        addOns: ['catering', 'parking'],
        totalPriceCents: 20000 + 2500 + 1000,
        currency: 'EUR',
        status: 'confirmed',
      });
      expect(response.headers['cache-control']).toBe('private, no-store');
      expect(response.headers['idempotent-replayed']).toBeUndefined();
      expectToMatchOpenApi(t.openApi, response);
      expectQueryBaseline('bookings: create', response);
      expect(response.headers['x-db-sessions']).toBe('1');

      const [row] = await t.dataSource.query('SELECT venue_id, slot_id, user_id, to_char(date, \'YYYY-MM-DD\') AS date, guests, total_price_cents, status, idempotency_key FROM bookings WHERE id = $1', [response.body.id]);
      expect(row).toEqual({
        venue_id: venue.id,
        slot_id: evening[weekdayOf(date)].id,
        user_id: alice.id,
        date,
        guests: 20,
        total_price_cents: 23500,
        status: 'confirmed',
        idempotency_key: null,
      });
    });

    it('prices by the SPEC §3 rule: the date\'s override, else the slot\'s price, else the base price', async () => {
      const date = freshDate();
      const base = await book(alice, { date, slot: 'morning', guests: 10 }).expect(201);
      expect(base.body).toEqual(expect.objectContaining({ slot: 'morning', addOns: [], totalPriceCents: 10000 }));

      const overriddenMorning = await book(alice, { date: OVERRIDE, slot: 'morning', guests: 10, addOns: ['catering'] }).expect(201);
      expect(overriddenMorning.body.totalPriceCents).toBe(15000 + 2500);
      const overriddenEvening = await book(bob, { date: OVERRIDE, slot: 'evening', guests: 50 }).expect(201);
      expect(overriddenEvening.body.totalPriceCents).toBe(15000);
    });

    it('accepts the venue id as well as its slug', async () => {
      const response = await book(alice, { date: freshDate(), slot: 'evening', guests: 30 }, { venue: String(venue.id) }).expect(201);
      expect(response.body.venueId).toBe(venue.id);
    });

    it('answers 409 when the slot is already booked on that date, leaving the first booking alone', async () => {
      const date = freshDate();
      await book(alice, { date, slot: 'evening', guests: 20 }).expect(201);
      const taken = await book(bob, { date, slot: 'evening', guests: 20 });
      expectProblem(taken, 409, '/problems/slot-taken', new RegExp(`'evening' on ${date} is already booked`));
      expect(await confirmedRows(date)).toEqual([{ user_id: alice.id, slot_id: evening[weekdayOf(date)].id }]);
      // Another slot of the same day is still free.
      await book(bob, { date, slot: 'morning', guests: 20 }).expect(201);
    });

    it('lets exactly one of 50 concurrent requests from different users book one slot; the rest get 409', async () => {
      const date = freshDate();
      const users = await Promise.all(Array.from({ length: 50 }, (_, index) => f.newUser({ name: `Racer ${index}` })));
      const responses = await Promise.all(users.map((user) => book(user, { date, slot: 'evening', guests: 12 })));
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(49);
      for (const response of responses.filter((candidate) => candidate.status === 409)) expect(response.body.type).toBe('/problems/slot-taken');
      const winner = responses.find((response) => response.status === 201)!;
      expect(await confirmedRows(date)).toEqual([{ user_id: users[responses.indexOf(winner)].id, slot_id: evening[weekdayOf(date)].id }]);
    });

    it('answers 409 from the unique index when the slot was free at the check and taken by the insert', async () => {
      const date = freshDate();
      const slot = evening[weekdayOf(date)];
      // Another session books the slot and has not committed: the request's availability read sees a
      // free slot, its INSERT waits on the unique index, and fails once the other session commits.
      const other = new Client({ connectionString: t.database.url });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query(`INSERT INTO bookings (venue_id, slot_id, user_id, date, guests, total_price_cents) VALUES ($1, $2, $3, $4, 10, 0)`, [venue.id, slot.id, bob.id, date]);
        const pending = book(alice, { date, slot: 'evening', guests: 20 }).then((response) => response);
        await waitForLockWait(t);
        await other.query('COMMIT');
        const response = await pending;
        expectProblem(response, 409, '/problems/slot-taken', /already booked/);
        expect(response.headers['x-query-count']).toBe('3');
      } finally {
        await other.end();
      }
      expect(await confirmedRows(date)).toEqual([{ user_id: bob.id, slot_id: slot.id }]);
    });

    it('keeps the rule in the database: a second confirmed row for a slot and date cannot be inserted at all', async () => {
      const date = freshDate();
      const slot = evening[weekdayOf(date)];
      await f.newBooking({ venueId: venue.id, slotId: slot.id, userId: alice.id, date, guests: 10 });
      await expect(f.newBooking({ venueId: venue.id, slotId: slot.id, userId: bob.id, date, guests: 10 })).rejects.toThrow(/bookings_one_confirmed_per_slot_key/);
      // A cancelled booking does not hold the slot.
      await f.newBooking({ venueId: venue.id, slotId: slot.id, userId: bob.id, date, guests: 10, status: 'cancelled' });
    });

    describe('422 naming the reason', () => {
      it.each<[string, () => object, string, RegExp]>([
        ['a public holiday of the venue\'s country', () => ({ date: HOLIDAY, slot: 'evening', guests: 20 }), '/problems/venue-closed-holiday', /closed on .*public holiday \(Fiesta de prueba\)/],
        ['a blackout date of the venue', () => ({ date: BLACKOUT, slot: 'evening', guests: 20 }), '/problems/venue-closed-blackout', /closed on .*blackout/],
        ['a slot the venue offers on other weekdays only', () => ({ date: freshDate(1), slot: 'brunch', guests: 20 }), '/problems/slot-not-offered', /no slot 'brunch' on Mondays .*offers: morning, evening/],
        ['a slot code the venue never offers', () => ({ date: freshDate(), slot: 'midnight', guests: 20 }), '/problems/slot-not-offered', /no slot 'midnight'/],
        ['fewer guests than the venue\'s minimum', () => ({ date: freshDate(), slot: 'evening', guests: 9 }), '/problems/guests-outside-capacity', /takes 10 to 50 guests, not 9/],
        ['more guests than the venue\'s maximum', () => ({ date: freshDate(), slot: 'evening', guests: 51 }), '/problems/guests-outside-capacity', /takes 10 to 50 guests, not 51/],
        ['an add-on the venue does not offer', () => ({ date: freshDate(), slot: 'evening', guests: 20, addOns: ['catering', 'dj'] }), '/problems/add-on-not-offered', /does not offer: dj$/],
        ['an add-on nobody offers', () => ({ date: freshDate(), slot: 'evening', guests: 20, addOns: ['fireworks'] }), '/problems/add-on-not-offered', /does not offer: fireworks$/],
        ['yesterday in the venue\'s time zone', () => ({ date: addDays(today, -1), slot: 'evening', guests: 20 }), '/problems/date-in-past', new RegExp(`it is already ${today} in the venue's time zone \\(Europe/Madrid\\)`)],
        ['a date over 365 days ahead', () => ({ date: addDays(today, 366), slot: 'evening', guests: 20 }), '/problems/date-too-far-ahead', new RegExp(`bookings open up to ${addDays(today, 365)}`)],
      ])('refuses %s', async (_case, body, type, detail) => {
        const request = body() as { date: string };
        const response = await book(alice, request);
        expectProblem(response, 422, type, detail);
        expect(await confirmedRows(request.date)).toEqual([]);
      });

      it('books today and the last bookable day', async () => {
        await book(alice, { date: today, slot: 'evening', guests: 20 }).expect(201);
        await book(alice, { date: addDays(today, 365), slot: 'evening', guests: 20 }).expect(201);
      });

      it('judges "past" in the venue\'s time zone, not the server\'s', async () => {
        const category = await f.newCategory();
        const host = await f.newUser({ role: 'host' });
        // UTC-11 and UTC+14: for most of every UTC day one of them is on another date than UTC.
        for (const timezone of ['Pacific/Pago_Pago', 'Pacific/Kiritimati']) {
          const city = await f.newCity({ countryCode: 'US', timezone });
          const far = await f.newVenue({ cityId: city.id, categoryId: category.id, hostId: host.id });
          for (let weekday = 0; weekday < 7; weekday++) await f.newSlot({ venueId: far.id, weekday, code: 'day' });
          const localToday = todayIn(timezone);
          await book(alice, { date: localToday, slot: 'day', guests: 5 }, { venue: far.slug }).expect(201);
          const past = await book(alice, { date: addDays(localToday, -1), slot: 'day', guests: 5 }, { venue: far.slug });
          expectProblem(past, 422, '/problems/date-in-past', new RegExp(`already ${localToday} .*\\(${timezone}\\)`));
        }
      });
    });

    it.each([
      ['an unknown slug', 'no-such-venue'],
      ['an unknown id', '999999'],
      ['an id beyond integer range', '99999999999'],
    ])('answers 404 for %s', async (_case, ref) => {
      const response = await book(alice, { date: freshDate(), slot: 'evening', guests: 20 }, { venue: ref });
      expectProblem(response, 404, 'about:blank', new RegExp(`'${ref}'`));
    });

    it('answers 404 for an inactive venue', async () => {
      const response = await book(alice, { date: freshDate(), slot: 'evening', guests: 20 }, { venue: inactive.slug });
      expectProblem(response, 404, 'about:blank', /No active venue/);
    });

    it.each<[string, object, string]>([
      ['an impossible date', { date: '2027-02-30', slot: 'evening', guests: 20 }, 'date'],
      ['a date with a time', { date: '2027-02-03T10:00', slot: 'evening', guests: 20 }, 'date'],
      ['no slot', { date: '2027-02-03', guests: 20 }, 'slot'],
      ['a malformed slot code', { date: '2027-02-03', slot: 'Evening!', guests: 20 }, 'slot'],
      ['zero guests', { date: '2027-02-03', slot: 'evening', guests: 0 }, 'guests'],
      ['guests as a string', { date: '2027-02-03', slot: 'evening', guests: '20' }, 'guests'],
      ['fractional guests', { date: '2027-02-03', slot: 'evening', guests: 2.5 }, 'guests'],
      ['a repeated add-on', { date: '2027-02-03', slot: 'evening', guests: 20, addOns: ['parking', 'parking'] }, 'addOns'],
      ['add-ons not as a list', { date: '2027-02-03', slot: 'evening', guests: 20, addOns: 'parking' }, 'addOns'],
      ['an unknown field', { date: '2027-02-03', slot: 'evening', guests: 20, price: 1 }, 'price'],
    ])('answers 400 naming the parameter for %s', async (_case, body, parameter) => {
      const response = await book(alice, body);
      expectProblem(response, 400, '/problems/validation-error', new RegExp(parameter));
      expect(response.body.errors.map((error: { parameter: string }) => error.parameter)).toContain(parameter);
    });

    it('answers 401 with a Bearer challenge without a token', async () => {
      const response = await t.http.post(`/v1/venues/${venue.slug}/bookings`).send({ date: freshDate(), slot: 'evening', guests: 20 });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expectToMatchOpenApi(t.openApi, response);
    });
  });

  describe('Idempotency-Key', () => {
    const recordOf = async (user: UserRow, key: string) =>
      (
        await t.dataSource.query(
          `SELECT request_hash, response_body, extract(epoch FROM expires_at - created_at)::int AS lifetime_s FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
          [user.id, key],
        )
      )[0];

    it('replays the original 201 and body for the same request, without a second booking', async () => {
      const date = freshDate();
      const body = { date, slot: 'evening', guests: 20, addOns: ['catering'] };
      const first = await book(alice, body, { key: 'replay-1' }).expect(201);
      expectQueryBaseline('bookings: create with Idempotency-Key', first);
      const [stored] = [await recordOf(alice, 'replay-1')];
      expect(stored.response_body).toEqual(first.body);
      expect(stored.lifetime_s).toBe(86400);

      // The same add-ons in another order are the same request; the quoted (Structured Field) form is the same key.
      const replay = await book(alice, { ...body, addOns: ['catering'] }, { key: '"replay-1"' }).expect(201);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expectToMatchOpenApi(t.openApi, replay);
      expectQueryBaseline('bookings: create, Idempotency-Key replay', replay);
      expect(await confirmedRows(date)).toHaveLength(1);
      expect((await t.dataSource.query('SELECT count(*)::int AS n FROM bookings WHERE idempotency_key = $1', ['replay-1']))[0].n).toBe(1);
    });

    it('replays even when the request would now be refused (the slot is taken: by itself)', async () => {
      const date = freshDate();
      const body = { date, slot: 'morning', guests: 20 };
      const first = await book(bob, body, { key: 'replay-2' }).expect(201);
      await book(bob, body).expect(409);
      const replay = await book(bob, body, { key: 'replay-2' }).expect(201);
      expect(replay.body).toEqual(first.body);
    });

    it('answers 422 for the same key with another request, booking nothing', async () => {
      const date = freshDate();
      await book(alice, { date, slot: 'evening', guests: 20 }, { key: 'mismatch-1' }).expect(201);
      const otherGuests = await book(alice, { date, slot: 'evening', guests: 21 }, { key: 'mismatch-1' });
      expectProblem(otherGuests, 422, '/problems/idempotency-key-mismatch', /different request/);
      const otherDate = freshDate();
      expectProblem(await book(alice, { date: otherDate, slot: 'evening', guests: 20 }, { key: 'mismatch-1' }), 422, '/problems/idempotency-key-mismatch', /different request/);
      expect(await confirmedRows(otherDate)).toEqual([]);
    });

    it('keeps keys per user: the same key from another user is another request', async () => {
      const date = freshDate();
      const mine = await book(alice, { date, slot: 'evening', guests: 20 }, { key: 'shared-key' }).expect(201);
      const theirs = await book(bob, { date, slot: 'morning', guests: 20 }, { key: 'shared-key' }).expect(201);
      expect(theirs.body.id).not.toBe(mine.body.id);
    });

    it('answers 409 while a request with the key is still running, and serves the key once it has finished', async () => {
      // A request holds its key with a transaction-scoped advisory lock; this session plays that request.
      const running = new Client({ connectionString: t.database.url });
      await running.connect();
      try {
        await running.query('SELECT pg_advisory_lock($1::int, hashtext($2::text))', [alice.id, 'in-flight-1']);
        const date = freshDate();
        const response = await book(alice, { date, slot: 'evening', guests: 20 }, { key: 'in-flight-1' });
        expectProblem(response, 409, '/problems/idempotency-key-in-flight', /still being processed/);
        expect(await recordOf(alice, 'in-flight-1')).toBeUndefined();

        await running.query('SELECT pg_advisory_unlock($1::int, hashtext($2::text))', [alice.id, 'in-flight-1']);
        await book(alice, { date, slot: 'evening', guests: 20 }, { key: 'in-flight-1' }).expect(201);
      } finally {
        await running.end();
      }
    });

    it('lets concurrent retries with one key book once: one 201, the others 201 replays or 409 in flight', async () => {
      const date = freshDate();
      const body = { date, slot: 'evening', guests: 20 };
      const responses = await Promise.all(Array.from({ length: 10 }, () => book(alice, body, { key: 'concurrent-1' })));
      const created = responses.filter((response) => response.status === 201);
      expect(responses.every((response) => response.status === 201 || response.body.type === '/problems/idempotency-key-in-flight')).toBe(true);
      expect(created.filter((response) => response.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
      expect(new Set(created.map((response) => response.body.id)).size).toBe(1);
      expect(await confirmedRows(date)).toHaveLength(1);
    });

    it('leaves the key unused when the request fails, so it can be retried corrected', async () => {
      const date = freshDate();
      await book(alice, { date, slot: 'evening', guests: 500 }, { key: 'failed-1' }).expect(422);
      expect(await recordOf(alice, 'failed-1')).toBeUndefined();
      await book(alice, { date, slot: 'evening', guests: 50 }, { key: 'failed-1' }).expect(201);
    });

    it('leaves the key unused when the slot was taken (the failed insert rolls the claim back)', async () => {
      const date = freshDate();
      await book(bob, { date, slot: 'evening', guests: 20 }).expect(201);
      await book(alice, { date, slot: 'evening', guests: 20 }, { key: 'taken-1' }).expect(409);
      expect(await recordOf(alice, 'taken-1')).toBeUndefined();
    });

    it('refuses a key whose record expired but which already created a booking', async () => {
      const date = freshDate();
      await book(alice, { date, slot: 'evening', guests: 20 }, { key: 'expired-1' }).expect(201);
      await t.dataSource.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2`, [alice.id, 'expired-1']);
      const reused = await book(alice, { date: freshDate(), slot: 'evening', guests: 20 }, { key: 'expired-1' });
      expectProblem(reused, 422, '/problems/idempotency-key-mismatch', /already created a booking/);
    });

    it.each([
      ['empty', ''],
      ['over 255 characters', 'k'.repeat(256)],
      ['with a space', 'two words'],
      ['two keys', 'a, b'],
    ])('answers 400 naming the header for a key %s', async (_case, key) => {
      const response = await book(alice, { date: freshDate(), slot: 'evening', guests: 20 }, { key });
      expectProblem(response, 400, '/problems/validation-error', /Idempotency-Key/);
      expect(response.body.errors).toEqual([{ parameter: 'Idempotency-Key', message: expect.any(String) }]);
    });
  });

  describe('GET /v1/me/bookings and DELETE /v1/bookings/:id', () => {
    let carol: UserRow;
    let dates: string[];
    let ids: number[];

    beforeAll(async () => {
      carol = await f.newUser({ name: 'Carol' });
      dates = [freshDate(), freshDate()];
      ids = [];
      for (const [date, slot] of [[dates[0], 'morning'], [dates[0], 'evening'], [dates[1], 'morning']]) {
        ids.push((await book(carol, { date, slot, guests: 15, addOns: ['parking'] }).expect(201)).body.id);
      }
    });

    it("lists the user's own bookings, latest date and slot first, with page meta", async () => {
      const response = await t.http.get('/v1/me/bookings').set(bearer(carol)).expect(200);
      expect(response.body).toEqual({
        data: [
          { id: ids[2], venueId: venue.id, date: dates[1], slot: 'morning', guests: 15, addOns: ['parking'], totalPriceCents: 11000, currency: 'EUR', status: 'confirmed' },
          { id: ids[1], venueId: venue.id, date: dates[0], slot: 'evening', guests: 15, addOns: ['parking'], totalPriceCents: 21000, currency: 'EUR', status: 'confirmed' },
          { id: ids[0], venueId: venue.id, date: dates[0], slot: 'morning', guests: 15, addOns: ['parking'], totalPriceCents: 11000, currency: 'EUR', status: 'confirmed' },
        ],
        meta: { page: 1, pageSize: 20, total: 3, totalPages: 1 },
      });
      expect(response.headers['cache-control']).toBe('private, no-store');
      expectToMatchOpenApi(t.openApi, response);
      expectQueryBaseline('bookings: list mine', response);

      const second = await t.http.get('/v1/me/bookings?page=2&pageSize=2').set(bearer(carol)).expect(200);
      expect(second.body).toEqual({ data: [expect.objectContaining({ id: ids[0] })], meta: { page: 2, pageSize: 2, total: 3, totalPages: 2 } });
      const beyond = await t.http.get('/v1/me/bookings?page=9&pageSize=2').set(bearer(carol)).expect(200);
      expect(beyond.body).toEqual({ data: [], meta: { page: 9, pageSize: 2, total: 3, totalPages: 2 } });
    });

    it('answers an empty list for a user without bookings', async () => {
      const nobody = await f.newUser();
      const response = await t.http.get('/v1/me/bookings').set(bearer(nobody)).expect(200);
      expect(response.body).toEqual({ data: [], meta: { page: 1, pageSize: 20, total: 0, totalPages: 0 } });
    });

    it.each([
      ['page=0', 'page'],
      ['pageSize=101', 'pageSize'],
      ['pageSize=1e1', 'pageSize'],
      ['status=confirmed', 'status'],
    ])('answers 400 for %s', async (query, parameter) => {
      const response = await t.http.get(`/v1/me/bookings?${query}`).set(bearer(carol));
      expectProblem(response, 400, '/problems/validation-error', new RegExp(parameter));
    });

    it('needs a token', async () => {
      expect((await t.http.get('/v1/me/bookings')).status).toBe(401);
      expect((await t.http.delete(`/v1/bookings/${ids[0]}`)).status).toBe(401);
    });

    it('cancels an own booking, idempotently, and frees the slot for others', async () => {
      const cancelled = await t.http.delete(`/v1/bookings/${ids[1]}`).set(bearer(carol)).expect(200);
      expect(cancelled.body).toEqual({ id: ids[1], venueId: venue.id, date: dates[0], slot: 'evening', guests: 15, addOns: ['parking'], totalPriceCents: 21000, currency: 'EUR', status: 'cancelled' });
      expect(cancelled.headers['cache-control']).toBe('private, no-store');
      expectToMatchOpenApi(t.openApi, cancelled);
      expectQueryBaseline('bookings: cancel', cancelled);

      const again = await t.http.delete(`/v1/bookings/${ids[1]}`).set(bearer(carol)).expect(200);
      expect(again.body).toEqual(cancelled.body);

      await book(bob, { date: dates[0], slot: 'evening', guests: 20 }).expect(201);
      const listed = await t.http.get('/v1/me/bookings').set(bearer(carol)).expect(200);
      expect(listed.body.data.find((booking: { id: number }) => booking.id === ids[1]).status).toBe('cancelled');
    });

    it("answers 404 for someone else's booking and leaves it confirmed", async () => {
      const response = await t.http.delete(`/v1/bookings/${ids[0]}`).set(bearer(bob));
      expectProblem(response, 404, 'about:blank', new RegExp(`no booking with the id ${ids[0]}`));
      const [{ status }] = await t.dataSource.query('SELECT status FROM bookings WHERE id = $1', [ids[0]]);
      expect(status).toBe('confirmed');
    });

    it('answers 404 for an unknown booking and 400 for a malformed id', async () => {
      expectProblem(await t.http.delete('/v1/bookings/99999999').set(bearer(carol)), 404, 'about:blank', /no booking/);
      expectProblem(await t.http.delete('/v1/bookings/abc').set(bearer(carol)), 400, '/problems/validation-error', /id/);
    });

    it('refuses to cancel a booking whose date has passed', async () => {
      const yesterday = addDays(today, -1);
      const past = await f.newBooking({ venueId: venue.id, slotId: evening[weekdayOf(yesterday)].id, userId: carol.id, date: yesterday, guests: 10 });
      const response = await t.http.delete(`/v1/bookings/${past.id}`).set(bearer(carol));
      expectProblem(response, 422, '/problems/booking-in-past', new RegExp(`was for ${yesterday}`));
      const [{ status }] = await t.dataSource.query('SELECT status FROM bookings WHERE id = $1', [past.id]);
      expect(status).toBe('confirmed');
    });
  });

  describe('discovery shows bookings and cancellations at once (SPEC §4)', () => {
    const slotsShown = (response: Response): string[] =>
      response.body.data.find((card: { id: number }) => card.id === venue.id).availability.slots.map((slot: { code: string }) => slot.code);

    it("makes the next discovery request for the venue's city miss and show the slot taken, then free again", async () => {
      const date = freshDate();
      const url = `/v1/discovery/venues?city=madrid&date=${date}`;
      expect(slotsShown(await t.http.get(url).expect(200))).toEqual(['morning', 'evening']);
      expect((await t.http.get(url).expect(200)).headers['x-cache']).toBe('HIT');

      const booked = await book(alice, { date, slot: 'evening', guests: 20 }).expect(201);
      const afterBooking = await t.http.get(url).expect(200);
      expect(afterBooking.headers['x-cache']).toBe('MISS');
      expect(slotsShown(afterBooking)).toEqual(['morning']);

      await t.http.delete(`/v1/bookings/${booked.body.id}`).set(bearer(alice)).expect(200);
      const afterCancel = await t.http.get(url).expect(200);
      expect(afterCancel.headers['x-cache']).toBe('MISS');
      expect(slotsShown(afterCancel)).toEqual(['morning', 'evening']);

      // Cancelling again changes nothing, so the cached response stays valid.
      await t.http.delete(`/v1/bookings/${booked.body.id}`).set(bearer(alice)).expect(200);
      expect((await t.http.get(url).expect(200)).headers['x-cache']).toBe('HIT');
    });

    it('leaves the cache alone for a refused booking and for a replay', async () => {
      const date = freshDate();
      const url = `/v1/discovery/venues?city=madrid&date=${date}`;
      await book(alice, { date, slot: 'evening', guests: 20 }, { key: 'discovery-replay' }).expect(201);
      await t.http.get(url).expect(200);
      await book(bob, { date, slot: 'evening', guests: 20 }).expect(409);
      await book(alice, { date, slot: 'evening', guests: 20 }, { key: 'discovery-replay' }).expect(201);
      expect((await t.http.get(url).expect(200)).headers['x-cache']).toBe('HIT');
    });
  });

  it('documents the Idempotency-Key header in OpenAPI', () => {
    const operation = (t.openApi.paths['/v1/venues/{idOrSlug}/bookings'] as Record<string, { parameters: Array<{ name: string; in: string }> }>).post;
    expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
  });
});
