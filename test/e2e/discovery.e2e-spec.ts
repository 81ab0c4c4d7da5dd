import type { Response } from 'supertest';
import { HolidayCalendar } from '../../src/reference/holiday-calendar';
import { ReferenceCatalog } from '../../src/reference/reference-catalog';
import { factories, VenueRow } from '../support/factories';
import { expectToMatchOpenApi } from '../support/openapi';
import { expectQueryBaseline, expectStatementCountIndependentOfSize } from '../support/query-baseline';
import { startTestApp, TestApp } from '../support/test-app';

const DAY_MS = 86_400_000;
const utcDate = (daysFromToday: number) => new Date(Date.now() + daysFromToday * DAY_MS).toISOString().slice(0, 10);
const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** The test's own great-circle distance, to check the API's by value (mean Earth radius, as the API). */
function distanceKm(from: { lat: number; lng: number }, to: { lat: number; lng: number }): number {
  const rad = (degrees: number) => (degrees * Math.PI) / 180;
  const a = Math.sin(rad(to.lat - from.lat) / 2) ** 2 + Math.cos(rad(from.lat)) * Math.cos(rad(to.lat)) * Math.sin(rad(to.lng - from.lng) / 2) ** 2;
  return Math.round(2 * 6371.0088 * Math.asin(Math.sqrt(a)) * 10) / 10;
}

interface Card {
  id: number;
  slug: string;
  rating: number | null;
  reviewCount: number;
  price: { amountCents: number };
  capacity: { max: number };
  distanceKm: number | null;
  availability: { date: string; isHoliday: boolean; slots: Array<{ code: string; startsAt: string; endsAt: string; priceCents: number }> } | null;
}

const slugsOf = (response: Response) => (response.body.data as Card[]).map((card) => card.slug);
const cardOf = (response: Response, slug: string) => (response.body.data as Card[]).find((card) => card.slug === slug)!;

/** Sort keys of each order as the client sees them; every order ends with id ascending. */
const SORT_KEYS: Record<string, (card: Card) => number[]> = {
  relevance: (card) => [card.rating === null ? 1 : 0, -(card.rating ?? 0), -card.reviewCount],
  rating: (card) => [card.rating === null ? 1 : 0, -(card.rating ?? 0)],
  price_asc: (card) => [card.price.amountCents],
  price_desc: (card) => [-card.price.amountCents],
  capacity_desc: (card) => [-card.capacity.max],
  distance: (card) => [card.distanceKm!],
};

function compareBy(sort: string) {
  return (a: Card, b: Card) => {
    const [keysA, keysB] = [SORT_KEYS[sort](a), SORT_KEYS[sort](b)];
    for (let index = 0; index < keysA.length; index++) if (keysA[index] !== keysB[index]) return keysA[index] - keysB[index];
    return a.id - b.id;
  };
}

const MADRID = { lat: 40.4168, lng: -3.7038 };
const BARCELONA = { lat: 41.3874, lng: 2.1686 };
/** A working day two weeks ahead, its weekday's twin a week later (a Madrid holiday) and another (a national one). */
const DATE = utcDate(14);
const MADRID_HOLIDAY = utcDate(21);
const NATIONAL_HOLIDAY = utcDate(28);
const WEEKDAY = weekdayOf(DATE);

describe('GET /v1/discovery/venues (SPEC §4)', () => {
  let t: TestApp;
  const venues: Record<string, VenueRow> = {};
  let pagingIds: number[];

  const get = (query: string) => t.http.get(`/v1/discovery/venues?${query}`);

  beforeAll(async () => {
    t = await startTestApp();
    const f = factories(t.dataSource);
    const host = await f.newUser({ role: 'host' });
    const guest = await f.newUser();
    const madrid = await f.newCity({ slug: 'madrid', name: 'Madrid', countryCode: 'ES', ...MADRID });
    const barcelona = await f.newCity({ slug: 'barcelona', name: 'Barcelona', countryCode: 'ES', ...BARCELONA });
    const paging = await f.newCity({ slug: 'paging', name: 'Paging', countryCode: 'PT', timezone: 'Europe/Lisbon', lat: 38.72, lng: -9.14 });
    const rooftop = await f.newCategory({ slug: 'rooftop', name: 'Rooftop' });
    const garden = await f.newCategory({ slug: 'garden', name: 'Garden' });
    const ballroom = await f.newCategory({ slug: 'ballroom', name: 'Ballroom' });
    const catering = await f.newAddOn({ slug: 'catering', name: 'Catering' });
    const parking = await f.newAddOn({ slug: 'parking', name: 'Parking' });
    const audio = await f.newAddOn({ slug: 'audio-system', name: 'Audio system' });

    const inMadrid = { cityId: madrid.id, hostId: host.id };
    venues.alpha = await f.newVenue({ ...inMadrid, slug: 'alpha', name: 'Alpha', categoryId: rooftop.id, minCapacity: 10, maxCapacity: 50, basePriceCents: 20000, rating: 4.5, reviewCount: 10, instantBook: true, lat: 40.417, lng: -3.704 });
    venues.bravo = await f.newVenue({ ...inMadrid, slug: 'bravo', categoryId: garden.id, minCapacity: 50, maxCapacity: 200, basePriceCents: 50000, rating: 4.5, reviewCount: 20, lat: 40.45, lng: -3.7 });
    venues.charlie = await f.newVenue({ ...inMadrid, slug: 'charlie', categoryId: ballroom.id, minCapacity: 100, maxCapacity: 500, basePriceCents: 100000, lat: 40.3, lng: -3.7 });
    venues.delta = await f.newVenue({ ...inMadrid, slug: 'delta', categoryId: rooftop.id, minCapacity: 1, maxCapacity: 20, basePriceCents: 5000, rating: 3, reviewCount: 5, instantBook: true, ...MADRID });
    venues.echo = await f.newVenue({ ...inMadrid, slug: 'echo', categoryId: garden.id, minCapacity: 20, maxCapacity: 50, basePriceCents: 20000, instantBook: true, lat: 40.42, lng: -3.71 });
    venues.inactive = await f.newVenue({ ...inMadrid, slug: 'inactive', categoryId: rooftop.id, isActive: false, ...MADRID });
    venues.golf = await f.newVenue({ cityId: barcelona.id, hostId: host.id, slug: 'golf', categoryId: rooftop.id, rating: 4.9, ...BARCELONA });

    // Add-ons inserted out of order: the card lists them sorted.
    for (const addOn of [parking, catering]) await f.newVenueAddOn({ venueId: venues.alpha.id, addOnId: addOn.id });
    await f.newVenueAddOn({ venueId: venues.bravo.id, addOnId: parking.id });
    for (const addOn of [catering, parking, audio]) await f.newVenueAddOn({ venueId: venues.delta.id, addOnId: addOn.id });
    await f.newVenueAddOn({ venueId: venues.echo.id, addOnId: audio.id });
    // Photos out of order too: the cover is the lowest position, not the first inserted.
    await f.newPhoto({ venueId: venues.alpha.id, position: 2, url: 'https://img.example.test/alpha-2.jpg' });
    await f.newPhoto({ venueId: venues.alpha.id, position: 0, url: 'https://img.example.test/alpha-0.jpg' });

    // Availability on DATE. Alpha: morning at the base price, afternoon at its own price (a cancelled
    // booking frees it again), evening booked; a slot of another weekday never shows.
    const on = (venue: string, code: string, startsAt: string, endsAt: string, priceCents?: number, weekday = WEEKDAY) =>
      f.newSlot({ venueId: venues[venue].id, weekday, code, startsAt, endsAt, priceCents });
    const book = (venue: string, slotId: number, date = DATE, status: 'confirmed' | 'cancelled' = 'confirmed') =>
      f.newBooking({ venueId: venues[venue].id, slotId, userId: guest.id, date, status });
    await on('alpha', 'morning', '09:00', '13:00');
    await book('alpha', (await on('alpha', 'afternoon', '14:00', '17:00', 25000)).id, DATE, 'cancelled');
    await book('alpha', (await on('alpha', 'evening', '18:00', '23:00', 30000)).id);
    await on('alpha', 'other-day', '09:00', '13:00', undefined, (WEEKDAY + 1) % 7);
    // Bravo: a price override for the date beats the slot's own price; a booking a week later does not block it.
    await book('bravo', (await on('bravo', 'afternoon', '14:00', '18:00', 60000)).id, utcDate(21));
    await f.newPriceOverride({ venueId: venues.bravo.id, date: DATE, priceCents: 45000 });
    // Charlie is blacked out, delta fully booked, echo opens on no slot that weekday.
    await on('charlie', 'morning', '09:00', '13:00');
    await f.newBlackout({ venueId: venues.charlie.id, date: DATE, reason: 'maintenance' });
    await book('delta', (await on('delta', 'morning', '09:00', '13:00')).id);
    await on('golf', 'morning', '09:00', '13:00');

    await f.newHoliday({ countryCode: 'ES', cityId: madrid.id, date: MADRID_HOLIDAY, name: 'San Isidro' });
    await f.newHoliday({ countryCode: 'ES', date: NATIONAL_HOLIDAY, name: 'Fiesta Nacional' });

    pagingIds = await seedPagingCity(f, paging.id, host.id, [rooftop.id, garden.id], catering.id);
    await t.app.get(ReferenceCatalog).refresh();
    await t.app.get(HolidayCalendar).refresh();
  });

  afterAll(() => t.close());

  describe('cards', () => {
    it('describes each venue by value, with availability, cover photo and sorted add-ons', async () => {
      const response = await get(`city=madrid&date=${DATE}&lat=${MADRID.lat}&lng=${MADRID.lng}`).expect(200);
      expectToMatchOpenApi(t.openApi, response);
      expect(cardOf(response, 'alpha')).toEqual({
        id: venues.alpha.id,
        slug: 'alpha',
        name: 'Alpha',
        city: { slug: 'madrid', name: 'Madrid' },
        category: { slug: 'rooftop', name: 'Rooftop' },
        capacity: { min: 10, max: 50 },
        price: { amountCents: 20000, currency: 'EUR' },
        rating: 4.5,
        reviewCount: 10,
        instantBook: true,
        coverPhotoUrl: 'https://img.example.test/alpha-0.jpg',
        addOns: ['catering', 'parking'],
        location: { lat: 40.417, lng: -3.704 },
        distanceKm: 0,
        availability: {
          date: DATE,
          isHoliday: false,
          slots: [
            { code: 'morning', startsAt: '09:00', endsAt: '13:00', priceCents: 20000 },
            { code: 'afternoon', startsAt: '14:00', endsAt: '17:00', priceCents: 25000 },
          ],
        },
      });
      expect(response.body.meta).toEqual({ page: 1, pageSize: 20, total: 5, totalExact: true, totalPages: 1, sort: 'relevance', date: DATE, holiday: null });
    });

    it('prices a slot by the date override first, and lists no slot on a blackout, a fully booked day or a closed weekday', async () => {
      const response = await get(`city=madrid&date=${DATE}`).expect(200);
      expect(cardOf(response, 'bravo').availability!.slots).toEqual([{ code: 'afternoon', startsAt: '14:00', endsAt: '18:00', priceCents: 45000 }]);
      for (const slug of ['charlie', 'delta', 'echo']) expect(cardOf(response, slug).availability).toEqual({ date: DATE, isHoliday: false, slots: [] });
    });

    it('leaves availability and distance null without date and position, and the cover photo null without photos', async () => {
      const response = await get('city=madrid').expect(200);
      expectToMatchOpenApi(t.openApi, response);
      expect(cardOf(response, 'bravo')).toMatchObject({ availability: null, distanceKm: null, coverPhotoUrl: null, rating: 4.5 });
      expect(cardOf(response, 'charlie')).toMatchObject({ rating: null, reviewCount: 0, addOns: [] });
      expect(response.body.meta).toMatchObject({ date: null, holiday: null });
    });

    it('never lists an inactive venue', async () => {
      const response = await get(`lat=${MADRID.lat}&lng=${MADRID.lng}&radiusKm=1`).expect(200);
      expect(slugsOf(response)).not.toContain('inactive');
    });
  });

  describe('filters', () => {
    const madridSlugs = async (query: string) => slugsOf(await get(`city=madrid&${query}`).expect(200)).sort();

    it.each([
      ['', ['alpha', 'bravo', 'charlie', 'delta', 'echo']],
      ['guests=30', ['alpha', 'echo']],
      ['guests=50', ['alpha', 'bravo', 'echo']],
      ['minCapacity=50', ['alpha', 'bravo', 'charlie', 'echo']],
      ['maxCapacity=50', ['alpha', 'delta', 'echo']],
      ['minCapacity=50&maxCapacity=50', ['alpha', 'echo']],
      ['category=rooftop', ['alpha', 'delta']],
      ['category=rooftop,ballroom', ['alpha', 'charlie', 'delta']],
      ['category=rooftop&category=ballroom', ['alpha', 'charlie', 'delta']],
      ['addOns=parking', ['alpha', 'bravo', 'delta']],
      ['addOns=parking,catering', ['alpha', 'delta']],
      ['addOns=catering&addOns=parking,audio-system', ['delta']],
      ['minPrice=20000', ['alpha', 'bravo', 'charlie', 'echo']],
      ['maxPrice=20000', ['alpha', 'delta', 'echo']],
      ['minPrice=20000&maxPrice=20000', ['alpha', 'echo']],
      ['instantBook=true', ['alpha', 'delta', 'echo']],
      ['instantBook=1', ['alpha', 'delta', 'echo']],
      ['instantBook=false', ['bravo', 'charlie']],
      ['instantBook=0', ['bravo', 'charlie']],
      [`lat=${MADRID.lat}&lng=${MADRID.lng}&radiusKm=1`, ['alpha', 'delta', 'echo']],
      [`lat=${MADRID.lat}&lng=${MADRID.lng}&radiusKm=5`, ['alpha', 'bravo', 'delta', 'echo']],
      [`onlyAvailable=true&date=${DATE}`, ['alpha', 'bravo']],
      [`onlyAvailable=1&date=${DATE}&category=garden`, ['bravo']],
      [`onlyAvailable=false`, ['alpha', 'bravo', 'charlie', 'delta', 'echo']],
      ['guests=30&instantBook=true&addOns=audio-system', ['echo']],
    ])('%s → %j', async (query, expected) => {
      expect(await madridSlugs(query)).toEqual(expected);
    });

    it('treats 0 and empty values as no filter', async () => {
      const all = await madridSlugs('');
      for (const query of ['guests=0', 'guests=', 'minCapacity=0&maxCapacity=0', 'minPrice=0&maxPrice=', 'category=', 'addOns=', 'instantBook=', 'date=', 'sort=', 'page=']) {
        expect(await madridSlugs(query)).toEqual(all);
      }
    });

    it('searches by position alone, across cities, within the radius', async () => {
      const nearMadrid = await get(`lat=${MADRID.lat}&lng=${MADRID.lng}&radiusKm=20&sort=distance`).expect(200);
      expectToMatchOpenApi(t.openApi, nearMadrid);
      expect(slugsOf(nearMadrid)).toEqual(['alpha', 'delta', 'echo', 'bravo', 'charlie']);
      const nearBarcelona = await get(`lat=${BARCELONA.lat}&lng=${BARCELONA.lng}&radiusKm=10`).expect(200);
      expect(slugsOf(nearBarcelona)).toEqual(['golf']);
      const everywhere = await get(`lat=${MADRID.lat}&lng=${MADRID.lng}&sort=distance&pageSize=100`).expect(200);
      expect(slugsOf(everywhere).slice(-1)).toEqual(['golf']);
      expect(cardOf(everywhere, 'golf').distanceKm).toBe(distanceKm(MADRID, BARCELONA));
    });

    it('reports great-circle distances rounded to 0.1 km', async () => {
      const response = await get(`city=madrid&lat=${MADRID.lat}&lng=${MADRID.lng}`).expect(200);
      for (const slug of ['alpha', 'bravo', 'charlie', 'delta', 'echo']) {
        expect(cardOf(response, slug).distanceKm).toBe(distanceKm(MADRID, venues[slug]));
      }
      expect(cardOf(response, 'charlie').distanceKm).toBe(13);
    });
  });

  describe('sorting', () => {
    const position = `lat=${MADRID.lat}&lng=${MADRID.lng}`;

    it.each([
      ['relevance', ['bravo', 'alpha', 'delta', 'charlie', 'echo']],
      ['rating', ['alpha', 'bravo', 'delta', 'charlie', 'echo']],
      ['price_asc', ['delta', 'alpha', 'echo', 'bravo', 'charlie']],
      ['price_desc', ['charlie', 'bravo', 'alpha', 'echo', 'delta']],
      ['capacity_desc', ['charlie', 'bravo', 'alpha', 'echo', 'delta']],
      // alpha (28 m) and delta (0 m) both show 0.0 km: the tie goes to the lower id.
      ['distance', ['alpha', 'delta', 'echo', 'bravo', 'charlie']],
    ])('sort=%s orders ties by id and unrated venues last', async (sort, expected) => {
      const response = await get(`city=madrid&sort=${sort}&${position}`).expect(200);
      expect(slugsOf(response)).toEqual(expected);
      expect(response.body.meta.sort).toBe(sort);
    });

    it('defaults to relevance', async () => {
      const response = await get('city=madrid').expect(200);
      expect(response.body.meta.sort).toBe('relevance');
      expect(slugsOf(response)).toEqual(['bravo', 'alpha', 'delta', 'charlie', 'echo']);
    });
  });

  describe('pagination', () => {
    const position = 'lat=38.72&lng=-9.14';

    // 60 matches, 7 a page: matches are counted up to five pages past the page's start, plus one
    // (page 1: 36 = "more than 35"), so the total is a lower bound until page 5; a distance sort counts all.
    const boundedTotals = [36, 43, 50, 57];

    it.each(Object.keys(SORT_KEYS))('walks every page of sort=%s without duplicates or gaps, in order', async (sort) => {
      const pageSize = 7;
      const seen: Card[] = [];
      for (let page = 1; page <= 9; page++) {
        const response = await get(`city=paging&sort=${sort}&${position}&page=${page}&pageSize=${pageSize}`).expect(200);
        const total = sort === 'distance' ? 60 : (boundedTotals[page - 1] ?? 60);
        const totalPages = Math.ceil(total / pageSize);
        expect(response.body.meta).toEqual({ page, pageSize, total, totalExact: total === 60, totalPages, sort, date: null, holiday: null });
        expect(response.body.data).toHaveLength(page < 9 ? pageSize : 4);
        seen.push(...response.body.data);
      }
      expect(seen.map((card) => card.id).sort((a, b) => a - b)).toEqual(pagingIds);
      expect(seen).toEqual([...seen].sort(compareBy(sort)));
    });

    it('answers a page past the end with no venues and the true total', async () => {
      const response = await get('city=paging&page=10&pageSize=7').expect(200);
      expect(response.body).toEqual({ data: [], meta: { page: 10, pageSize: 7, total: 60, totalExact: true, totalPages: 9, sort: 'relevance', date: null, holiday: null } });
      expectToMatchOpenApi(t.openApi, response);
      expectQueryBaseline('discovery: page past the end', response);
    });

    it('answers no match with total 0', async () => {
      const response = await get('city=madrid&guests=100000').expect(200);
      expect(response.body.meta).toMatchObject({ total: 0, totalPages: 0 });
      expect(response.body.data).toEqual([]);
    });

    it('accepts pageSize 1 and 100', async () => {
      expect((await get('city=paging&pageSize=1').expect(200)).body.data).toHaveLength(1);
      expect((await get('city=paging&pageSize=100').expect(200)).body.data).toHaveLength(60);
    });
  });

  describe('holidays', () => {
    it("closes every venue of the city on its holiday without an availability statement", async () => {
      const response = await get(`city=madrid&date=${MADRID_HOLIDAY}&guests=10`).expect(200);
      expectToMatchOpenApi(t.openApi, response);
      expect(response.body.meta.holiday).toEqual({ date: MADRID_HOLIDAY, name: 'San Isidro' });
      expect(response.body.data).toHaveLength(2);
      for (const card of response.body.data as Card[]) expect(card.availability).toEqual({ date: MADRID_HOLIDAY, isHoliday: true, slots: [] });
      expect(Number(response.headers['x-query-count'])).toBeLessThanOrEqual(2);
      expect(response.headers['x-db-sessions']).toBe('1');
      expectQueryBaseline('discovery: holiday', response);
    });

    it('finds nothing available on a holiday, without a statement or a session', async () => {
      const response = await get(`city=madrid&date=${MADRID_HOLIDAY}&onlyAvailable=true`).expect(200);
      expectToMatchOpenApi(t.openApi, response);
      expect(response.body.data).toEqual([]);
      expect(response.body.meta).toMatchObject({ total: 0, totalExact: true, totalPages: 0, holiday: { date: MADRID_HOLIDAY, name: 'San Isidro' } });
      expect(response.headers['x-cache']).toBe('MISS');
      expect(response.headers['x-query-count']).toBe('0');
      expect(response.headers['x-db-sessions']).toBe('0');
    });

    it("keeps a city holiday to its city, and closes the whole country on a national one", async () => {
      const cityHoliday = await get(`city=barcelona&date=${MADRID_HOLIDAY}`).expect(200);
      expect(cityHoliday.body.meta.holiday).toBeNull();
      expect(cardOf(cityHoliday, 'golf').availability).toEqual({ date: MADRID_HOLIDAY, isHoliday: false, slots: [{ code: 'morning', startsAt: '09:00', endsAt: '13:00', priceCents: 10000 }] });
      const national = await get(`city=barcelona&date=${NATIONAL_HOLIDAY}`).expect(200);
      expect(national.body.meta.holiday).toEqual({ date: NATIONAL_HOLIDAY, name: 'Fiesta Nacional' });
      expect(cardOf(national, 'golf').availability).toEqual({ date: NATIONAL_HOLIDAY, isHoliday: true, slots: [] });
    });

    it('marks holidays per venue city when searching by position, with no city-wide meta.holiday', async () => {
      const response = await get(`lat=${MADRID.lat}&lng=${MADRID.lng}&date=${MADRID_HOLIDAY}&pageSize=100`).expect(200);
      expect(response.body.meta.holiday).toBeNull();
      expect(cardOf(response, 'alpha').availability).toEqual({ date: MADRID_HOLIDAY, isHoliday: true, slots: [] });
      expect(cardOf(response, 'golf').availability!.isHoliday).toBe(false);
      const available = await get(`lat=${MADRID.lat}&lng=${MADRID.lng}&date=${MADRID_HOLIDAY}&onlyAvailable=true&pageSize=100`).expect(200);
      expect(slugsOf(available)).toContain('golf');
      expect(slugsOf(available)).not.toContain('alpha');
    });
  });

  describe('edge rules: every 400 names the parameter', () => {
    it.each([
      ['city=madrid&guests=1e3', 'guests'],
      ['city=madrid&guests=12abc', 'guests'],
      ['city=madrid&guests=-1', 'guests'],
      ['city=madrid&guests=1.5', 'guests'],
      ['city=madrid&guests=1&guests=2', 'guests'],
      ['city=madrid&minCapacity=0x10', 'minCapacity'],
      ['city=madrid&maxCapacity=99999999999', 'maxCapacity'],
      ['city=madrid&minPrice=-5', 'minPrice'],
      ['city=madrid&maxPrice=1e3', 'maxPrice'],
      ['city=madrid&minCapacity=60&maxCapacity=50', 'minCapacity'],
      ['city=madrid&minPrice=300&maxPrice=200', 'minPrice'],
      ['city=madrid&instantBook=yes', 'instantBook'],
      ['city=madrid&instantBook=TRUE', 'instantBook'],
      ['city=madrid&onlyAvailable=2', 'onlyAvailable'],
      ['city=madrid&debug=1', 'debug'],
      ['city=madrid&Guests=3', 'Guests'],
      ['city=atlantis', 'city'],
      ['city=Madrid', 'city'],
      ['city=madrid&category=rooftop,nowhere', 'category'],
      ['city=madrid&category=Rooftop', 'category'],
      ['city=madrid&addOns=jacuzzi', 'addOns'],
      ['guests=3', 'city'],
      ['city=', 'city'],
      ['lat=40.4', 'lng'],
      ['lng=-3.7', 'lat'],
      ['city=madrid&lat=40.4', 'lng'],
      ['lat=91&lng=0', 'lat'],
      ['lat=0&lng=180.5', 'lng'],
      ['lat=4e1&lng=-3', 'lat'],
      ['lat=40,4&lng=-3', 'lat'],
      ['city=madrid&radiusKm=5', 'radiusKm'],
      [`lat=40.4&lng=-3.7&radiusKm=0`, 'radiusKm'],
      [`lat=40.4&lng=-3.7&radiusKm=500.1`, 'radiusKm'],
      [`lat=40.4&lng=-3.7&radiusKm=-1`, 'radiusKm'],
      ['city=madrid&sort=distance', 'sort'],
      ['city=madrid&sort=cheapest', 'sort'],
      ['city=madrid&onlyAvailable=true', 'onlyAvailable'],
      ['city=madrid&date=2026-02-30', 'date'],
      ['city=madrid&date=2026-1-5', 'date'],
      ['city=madrid&date=20260105', 'date'],
      ['city=madrid&date=tomorrow', 'date'],
      [`city=madrid&date=${utcDate(-2)}`, 'date'],
      [`city=madrid&date=${utcDate(366)}`, 'date'],
      ['city=madrid&page=0', 'page'],
      ['city=madrid&page=-1', 'page'],
      ['city=madrid&page=1.0', 'page'],
      ['city=madrid&pageSize=0', 'pageSize'],
      ['city=madrid&pageSize=101', 'pageSize'],
    ])('%s → 400 naming %s', async (query, parameter) => {
      const response = await get(query).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.errors.map((error: { parameter: string }) => error.parameter)).toContain(parameter);
      expect(response.headers['cache-control']).toBeUndefined();
      expectToMatchOpenApi(t.openApi, response);
    });

    it('names every unknown slug, and resolving them runs no statement', async () => {
      const response = await get('city=atlantis&category=rooftop,nowhere,neverland&addOns=jacuzzi').expect(400);
      expect(response.body.errors).toEqual([
        { parameter: 'city', message: "unknown city: 'atlantis'" },
        { parameter: 'category', message: "unknown category: 'neverland', 'nowhere'" },
        { parameter: 'addOns', message: "unknown addOns: 'jacuzzi'" },
      ]);
      expect(response.headers['x-query-count']).toBe('0');
    });

    it.each([
      [`city=madrid&date=${utcDate(-1)}`],
      [`city=madrid&date=${utcDate(0)}`],
      [`city=madrid&date=${utcDate(365)}`],
      [`lat=40.4168&lng=-3.7038&radiusKm=500`],
      [`lat=-90&lng=180&radiusKm=0.1`],
      ['city=madrid&lat=40&lng=-3&sort=distance'],
      ['city=madrid&pageSize=100&page=10000'],
    ])('accepts the boundary %s', async (query) => {
      await get(query).expect(200);
    });
  });

  describe('statements and sessions', () => {
    it('answers a full miss in one session and 2 statements: the page with its total, then availability', async () => {
      const response = await get(`city=madrid&date=${DATE}&guests=10&addOns=parking&sort=distance&lat=${MADRID.lat}&lng=${MADRID.lng}&radiusKm=25`).expect(200);
      expect(response.headers['x-cache']).toBe('MISS');
      expect(slugsOf(response)).toEqual(['alpha', 'delta']);
      expect(response.headers['x-db-sessions']).toBe('1');
      expectQueryBaseline('discovery: miss (city, date, guests, addOns, distance, radius)', response);
    });

    it('answers a miss without date in one statement', async () => {
      const response = await get('city=madrid&sort=rating&pageSize=3').expect(200);
      expect(response.headers['x-db-sessions']).toBe('1');
      expectQueryBaseline('discovery: miss without date', response);
    });

    it('runs the same statements for 5 and 50 venues a page', async () => {
      const count = await expectStatementCountIndependentOfSize((size) =>
        get(`city=paging&date=${DATE}&lat=38.72&lng=-9.14&sort=distance&addOns=catering&pageSize=${size}`),
      );
      expect(count).toBe(2);
    });
  });
});

/**
 * 60 venues with deliberately repeated ratings, review counts, prices, capacities and positions,
 * so every sort has ties; each has a slot on WEEKDAY, every other one an add-on and a photo.
 */
async function seedPagingCity(f: ReturnType<typeof factories>, cityId: number, hostId: number, categoryIds: number[], addOnId: number): Promise<number[]> {
  const ratings = [null, 3.5, 4, 4.5];
  const ids: number[] = [];
  for (let i = 0; i < 60; i++) {
    const rating = ratings[i % 4];
    const venue = await f.newVenue({
      cityId,
      hostId,
      categoryId: categoryIds[i % 2],
      rating,
      reviewCount: rating === null ? 0 : 1 + (i % 3),
      basePriceCents: 1000 * (1 + (i % 5)),
      maxCapacity: 10 * (1 + (i % 4)),
      lat: 38.72 + 0.01 * (i % 6),
      lng: -9.14 + 0.01 * (i % 5),
    });
    await f.newSlot({ venueId: venue.id, weekday: WEEKDAY, code: 'morning', startsAt: '09:00', endsAt: '13:00' });
    if (i % 2 === 0) {
      await f.newVenueAddOn({ venueId: venue.id, addOnId });
      await f.newPhoto({ venueId: venue.id, position: 0 });
    }
    ids.push(venue.id);
  }
  return ids;
}
