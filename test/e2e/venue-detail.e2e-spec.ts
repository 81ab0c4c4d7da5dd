import type { Pool } from 'pg';
import { AccessTokens } from '../../src/auth/access-tokens';
import { HolidayCalendar } from '../../src/reference/holiday-calendar';
import { addDays, todayUtc } from '../../src/common/calendar-date';
import { factories, UserRow, VenueRow } from '../support/factories';
import { expectToMatchOpenApi } from '../support/openapi';
import { expectQueryBaseline, expectStatementCountIndependentOfSize } from '../support/query-baseline';
import { startTestApp, TEST_PROFILER_TOKEN, TestApp } from '../support/test-app';

const PROBLEM_JSON = /^application\/problem\+json/;

/** 0 = Sunday, as venue_slots.weekday. */
const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function bearer(t: TestApp, user: UserRow): { Authorization: string } {
  return { Authorization: `Bearer ${t.app.get(AccessTokens).issue(user).accessToken}` };
}

/*
 * One venue whose week from FROM exercises every rule of the detail's availability:
 *   day 0  ordinary: morning at the base price, free; evening at the slot's own price, booked by
 *          someone else; a cancelled booking of the viewer on the morning frees nothing
 *   day 1  price override: beats both the slot price and the base price
 *   day 2  country-wide public holiday, also blacked out: closed, and both are reported
 *   day 3  blackout: closed
 *   day 4  holiday of the venue's city only: closed
 *   day 5  the viewer's own confirmed booking (morning); another city's holiday here changes nothing
 *   day 6  a weekday on which the venue offers no slot
 */
describe('GET /v1/venues/:idOrSlug (SPEC §6)', () => {
  let t: TestApp;
  let viewer: UserRow;
  let stranger: UserRow;
  let venue: VenueRow;
  let inactive: VenueRow;
  let viewerBookingId: number;
  const FROM = addDays(todayUtc(), 7);
  const day = (offset: number) => addDays(FROM, offset);

  beforeAll(async () => {
    t = await startTestApp();
    const f = factories(t.dataSource);
    const madrid = await f.newCity({ slug: 'madrid', name: 'Madrid', countryCode: 'ES', timezone: 'Europe/Madrid' });
    const lisbon = await f.newCity({ slug: 'lisbon', name: 'Lisbon', countryCode: 'PT', timezone: 'Europe/Lisbon' });
    const seville = await f.newCity({ slug: 'seville', name: 'Seville', countryCode: 'ES', timezone: 'Europe/Madrid' });
    const rooftop = await f.newCategory({ slug: 'rooftop', name: 'Rooftop' });
    const parking = await f.newAddOn({ slug: 'parking', name: 'Parking' });
    const catering = await f.newAddOn({ slug: 'catering', name: 'Catering' });
    const host = await f.newUser({ name: 'Hannah Host', role: 'host' });
    viewer = await f.newUser({ name: 'Vera Viewer' });
    stranger = await f.newUser({ name: 'Sam Stranger' });

    venue = await f.newVenue({
      slug: 'sky-terrace',
      name: 'Sky Terrace',
      description: 'A terrace above the rooftops.',
      address: 'Calle Mayor 1, Madrid',
      cityId: madrid.id,
      categoryId: rooftop.id,
      hostId: host.id,
      lat: 40.4153,
      lng: -3.7074,
      minCapacity: 10,
      maxCapacity: 80,
      basePriceCents: 10000,
      currency: 'EUR',
      rating: 4.2,
      reviewCount: 5,
      instantBook: true,
    });
    inactive = await f.newVenue({ slug: 'closed-for-good', cityId: madrid.id, categoryId: rooftop.id, hostId: host.id, isActive: false });

    // Inserted out of order, so the order is the API's doing.
    await f.newPhoto({ venueId: venue.id, position: 2, url: 'https://img.example.test/c.jpg', caption: null });
    await f.newPhoto({ venueId: venue.id, position: 0, url: 'https://img.example.test/a.jpg', caption: 'Cover' });
    await f.newPhoto({ venueId: venue.id, position: 1, url: 'https://img.example.test/b.jpg', caption: 'Bar' });
    await f.newVenueAddOn({ venueId: venue.id, addOnId: parking.id, priceCents: 800 });
    await f.newVenueAddOn({ venueId: venue.id, addOnId: catering.id, priceCents: 1500 });

    const reviewers = await Promise.all(['Ana', 'Bea', 'Carl', 'Dina', 'Eli'].map((name) => f.newUser({ name })));
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
    await f.newReview({ venueId: venue.id, userId: reviewers[0].id, rating: 5, body: 'Oldest', createdAt: at(40) });
    await f.newReview({ venueId: venue.id, userId: reviewers[1].id, rating: 3, body: 'Newest', createdAt: at(1) });
    await f.newReview({ venueId: venue.id, userId: reviewers[2].id, rating: 4, body: 'Tied, lower id', createdAt: at(5) });
    await f.newReview({ venueId: venue.id, userId: reviewers[3].id, rating: 4, body: 'Tied, higher id', createdAt: at(5) });
    await f.newReview({ venueId: venue.id, userId: reviewers[4].id, rating: 1, body: 'Old', createdAt: at(20) });

    const slots = new Map<number, { morning: number; evening: number }>();
    for (let offset = 0; offset < 6; offset++) {
      const weekday = weekdayOf(day(offset));
      const morning = await f.newSlot({ venueId: venue.id, weekday, code: 'morning', startsAt: '09:00', endsAt: '13:00' });
      const evening = await f.newSlot({ venueId: venue.id, weekday, code: 'evening', startsAt: '18:00', endsAt: '23:30', priceCents: 15000 });
      slots.set(offset, { morning: morning.id, evening: evening.id });
    }
    // Slots of day 6's weekday at another venue must not leak into this one.
    const other = await f.newVenue({ cityId: madrid.id, categoryId: rooftop.id, hostId: host.id });
    await f.newSlot({ venueId: other.id, weekday: weekdayOf(day(6)), code: 'elsewhere' });

    await f.newBooking({ venueId: venue.id, slotId: slots.get(0)!.evening, userId: stranger.id, date: day(0) });
    await f.newBooking({ venueId: venue.id, slotId: slots.get(0)!.morning, userId: viewer.id, date: day(0), status: 'cancelled' });
    await f.newPriceOverride({ venueId: venue.id, date: day(1), priceCents: 20000 });
    await f.newHoliday({ countryCode: 'ES', date: day(2), name: 'Fiesta Nacional' });
    await f.newBlackout({ venueId: venue.id, date: day(2) });
    await f.newBlackout({ venueId: venue.id, date: day(3), reason: 'Private event' });
    await f.newHoliday({ countryCode: 'ES', cityId: madrid.id, date: day(4), name: 'San Isidro' });
    await f.newHoliday({ countryCode: 'ES', cityId: seville.id, date: day(5), name: 'Feria de Sevilla' });
    await f.newHoliday({ countryCode: 'PT', cityId: lisbon.id, date: day(0), name: 'Santo António' });
    viewerBookingId = (await f.newBooking({ venueId: venue.id, slotId: slots.get(5)!.morning, userId: viewer.id, date: day(5) })).id;
    // A past booking of the viewer is not upcoming. Its weekday is day 4's (today - 3 + 14), a
    // holiday, so its slot shows nowhere in the week.
    const pastDate = addDays(todayUtc(), -3);
    const pastSlot = await f.newSlot({ venueId: venue.id, weekday: weekdayOf(pastDate), code: 'past' });
    await f.newBooking({ venueId: venue.id, slotId: pastSlot.id, userId: viewer.id, date: pastDate });

    await t.app.get(HolidayCalendar).refresh();
    await t.http.put(`/v1/favorites/${venue.id}`).set(bearer(t, viewer)).expect(204);
  });

  afterAll(() => t.close());

  const detail = (path: string, user: UserRow = viewer) => t.http.get(path).set(bearer(t, user));

  it('answers every field by value, never cached, in ≤ 5 statements and one session', async () => {
    const response = await detail(`/v1/venues/sky-terrace?from=${FROM}&days=7`).expect(200);
    const slot = (code: string, startsAt: string, endsAt: string, priceCents: number, status: 'free' | 'booked') => ({
      code,
      startsAt,
      endsAt,
      priceCents,
      status,
    });
    const open = { isHoliday: false, holidayName: null, blackout: false };

    expect(response.body).toEqual({
      id: venue.id,
      slug: 'sky-terrace',
      name: 'Sky Terrace',
      description: 'A terrace above the rooftops.',
      address: 'Calle Mayor 1, Madrid',
      city: { slug: 'madrid', name: 'Madrid', timezone: 'Europe/Madrid' },
      category: { slug: 'rooftop', name: 'Rooftop' },
      host: { id: venue.hostId, name: 'Hannah Host' },
      capacity: { min: 10, max: 80 },
      price: { amountCents: 10000, currency: 'EUR' },
      rating: 4.2,
      reviewCount: 5,
      instantBook: true,
      coverPhotoUrl: 'https://img.example.test/a.jpg',
      photos: [
        { url: 'https://img.example.test/a.jpg', caption: 'Cover' },
        { url: 'https://img.example.test/b.jpg', caption: 'Bar' },
        { url: 'https://img.example.test/c.jpg', caption: null },
      ],
      addOns: [
        { slug: 'catering', name: 'Catering', priceCents: 1500 },
        { slug: 'parking', name: 'Parking', priceCents: 800 },
      ],
      location: { lat: 40.4153, lng: -3.7074 },
      distanceKm: null,
      reviews: {
        latest: [
          { rating: 3, body: 'Newest', author: { name: 'Bea' }, createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) },
          { rating: 4, body: 'Tied, higher id', author: { name: 'Dina' }, createdAt: expect.any(String) },
          { rating: 4, body: 'Tied, lower id', author: { name: 'Carl' }, createdAt: expect.any(String) },
        ],
        histogram: { '1': 1, '2': 0, '3': 1, '4': 2, '5': 1 },
      },
      availability: [
        { date: day(0), ...open, slots: [slot('morning', '09:00', '13:00', 10000, 'free'), slot('evening', '18:00', '23:30', 15000, 'booked')] },
        { date: day(1), ...open, slots: [slot('morning', '09:00', '13:00', 20000, 'free'), slot('evening', '18:00', '23:30', 20000, 'free')] },
        { date: day(2), isHoliday: true, holidayName: 'Fiesta Nacional', blackout: true, slots: [] },
        { date: day(3), isHoliday: false, holidayName: null, blackout: true, slots: [] },
        { date: day(4), isHoliday: true, holidayName: 'San Isidro', blackout: false, slots: [] },
        { date: day(5), ...open, slots: [slot('morning', '09:00', '13:00', 10000, 'booked'), slot('evening', '18:00', '23:30', 15000, 'free')] },
        { date: day(6), ...open, slots: [] },
      ],
      viewer: { isFavorite: true, upcomingBookings: [{ id: viewerBookingId, date: day(5), slot: 'morning', status: 'confirmed' }] },
    });
    expect(new Date(response.body.reviews.latest[0].createdAt).getTime()).toBeGreaterThan(new Date(response.body.reviews.latest[1].createdAt).getTime());

    expect(response.headers['cache-control']).toBe('private, no-store');
    expectToMatchOpenApi(t.openApi, response);
    expect(Number(response.headers['x-query-count'])).toBeLessThanOrEqual(5);
    expect(response.headers['x-db-sessions']).toBe('1');
    expectQueryBaseline('venue detail: days=7', response);
  });

  it('gives the same body by id and by slug', async () => {
    const bySlug = await detail(`/v1/venues/sky-terrace?from=${FROM}`).expect(200);
    const byId = await detail(`/v1/venues/${venue.id}?from=${FROM}`).expect(200);
    expect(byId.body).toEqual(bySlug.body);
  });

  it('shows each viewer their own favorite flag and bookings', async () => {
    const response = await detail(`/v1/venues/sky-terrace?from=${FROM}`, stranger).expect(200);
    // The stranger's booking on day 0 is in the past of no one: it is upcoming for them.
    expect(response.body.viewer).toEqual({
      isFavorite: false,
      upcomingBookings: [{ id: expect.any(Number), date: day(0), slot: 'evening', status: 'confirmed' }],
    });
  });

  it("starts at today in the venue's time zone and shows 7 days by default", async () => {
    const before = todayIn('Europe/Madrid');
    const response = await detail('/v1/venues/sky-terrace').expect(200);
    const after = todayIn('Europe/Madrid');
    expect([before, after]).toContain(response.body.availability[0].date);
    expect(response.body.availability.map((entry: { date: string }) => entry.date)).toEqual(
      Array.from({ length: 7 }, (_, offset) => addDays(response.body.availability[0].date, offset)),
    );
    await detail('/v1/venues/sky-terrace?days=').expect(200);
  });

  it.each(['1', '31'])('returns exactly days=%s entries', async (days) => {
    const response = await detail(`/v1/venues/sky-terrace?from=${FROM}&days=${days}`).expect(200);
    expect(response.body.availability).toHaveLength(Number(days));
  });

  it('runs the same number of statements for 1 day and for 31', async () => {
    const count = await expectStatementCountIndependentOfSize((days) => detail(`/v1/venues/sky-terrace?from=${FROM}&days=${days}`), [1, 31]);
    expect(count).toBeLessThanOrEqual(5);
  });

  it('gives the database session back before the body is built', async () => {
    const response = await detail(`/v1/venues/sky-terrace?from=${FROM}`).expect(200);
    const profile = await t.http.get(`/v1/_profiler/requests/${response.headers['x-request-id']}`).set('x-profiler-token', TEST_PROFILER_TOKEN).expect(200);
    const build = profile.body.stages.find((stage: { name: string }) => stage.name === 'build');
    const queries: Array<{ startMs: number; durationMs: number; session: number }> = profile.body.queries;
    expect(build).toBeDefined();
    expect(new Set(queries.map((query) => query.session))).toEqual(new Set([1]));
    for (const query of queries) expect(query.startMs + query.durationMs).toBeLessThanOrEqual(build.startMs);
  });

  describe('not found', () => {
    it.each([
      ['an inactive venue by slug', () => '/v1/venues/closed-for-good'],
      ['an inactive venue by id', () => `/v1/venues/${inactive.id}`],
      ['an unknown slug', () => '/v1/venues/no-such-venue'],
      ['an unknown id', () => '/v1/venues/999999'],
      ['an id beyond PostgreSQL integer', () => '/v1/venues/99999999999'],
    ])('answers 404 for %s', async (_case, path) => {
      const response = await detail(path()).expect(404);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expectToMatchOpenApi(t.openApi, response);
    });
  });

  describe('bad parameters', () => {
    it.each([
      ['days=0', 'days'],
      ['days=32', 'days'],
      ['days=-1', 'days'],
      ['days=1e1', 'days'],
      ['days=7abc', 'days'],
      ['days=3.5', 'days'],
      ['from=2026-02-30', 'from'],
      ['from=2026-2-3', 'from'],
      ['from=tomorrow', 'from'],
      [`from=${addDays(todayUtc(), -2)}`, 'from'],
      [`from=${addDays(todayUtc(), 366)}`, 'from'],
      ['from=2026-06-01T00:00:00Z', 'from'],
      ['sort=price', 'sort'],
    ])('answers 400 naming the parameter for %s', async (queryString, parameter) => {
      const response = await detail(`/v1/venues/sky-terrace?${queryString}`).expect(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(new Set(response.body.errors.map((error: { parameter: string }) => error.parameter))).toEqual(new Set([parameter]));
      expectToMatchOpenApi(t.openApi, response);
      expect(response.headers['x-query-count']).toBe('0');
    });

    it('answers 400 for a malformed id or slug', async () => {
      const response = await detail('/v1/venues/Sky_Terrace').expect(400);
      expect(response.body.errors[0].parameter).toBe('idOrSlug');
    });
  });

  it('needs a signed-in user', async () => {
    const response = await t.http.get('/v1/venues/sky-terrace').expect(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expectToMatchOpenApi(t.openApi, response);
  });
});

describe('venue detail under a pool of 5 connections', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { DB_POOL_SIZE: '5' } });
  });
  afterAll(() => t.close());

  it('serves 50 concurrent requests and leaks no connection', async () => {
    const f = factories(t.dataSource);
    const city = await f.newCity();
    const category = await f.newCategory();
    const user = await f.newUser();
    const venue = await f.newVenue({ cityId: city.id, categoryId: category.id, hostId: user.id });
    for (let weekday = 0; weekday < 7; weekday++) await f.newSlot({ venueId: venue.id, weekday });

    const headers = bearer(t, user);
    const responses = await Promise.all(Array.from({ length: 50 }, () => t.http.get(`/v1/venues/${venue.slug}?days=31`).set(headers)));
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    expect(responses.every((response) => response.headers['x-db-sessions'] === '1')).toBe(true);
    // Proof that the pool was the bottleneck: some requests queued for a connection.
    expect(responses.some((response) => /(^|, )pool_wait;/.test(response.headers['server-timing']))).toBe(true);

    const pool = (t.dataSource.driver as unknown as { master: Pool }).master;
    expect(pool.totalCount).toBeLessThanOrEqual(5);
    expect(pool.idleCount).toBe(pool.totalCount);
    expect(pool.waitingCount).toBe(0);
  });
});
