import type { DiscoverySort } from '../src/discovery/dto/discovery.query';
import type { BookableSlot, Fixtures } from './fixtures';
import type { HttpRequest } from './measure';

/** A discovery request's parameters (SPEC §4), as a client sends them. */
export interface DiscoveryParams {
  city?: string;
  date?: string;
  guests?: number;
  minCapacity?: number;
  maxCapacity?: number;
  category?: string[];
  addOns?: string[];
  minPrice?: number;
  maxPrice?: number;
  instantBook?: boolean;
  lat?: number;
  lng?: number;
  radiusKm?: number;
  onlyAvailable?: boolean;
  sort?: DiscoverySort;
  page?: number;
  pageSize?: number;
}

export const DISCOVERY_PATH = '/v1/discovery/venues';

export function discoveryPath(params: DiscoveryParams): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  return `${DISCOVERY_PATH}?${query}`;
}

/** The ceiling app's one route (bench/ceiling). */
export const CEILING_PATH = '/ceiling';

export const DETAIL_DAYS = 7;

export function detailPath(venueSlug: string): string {
  return `/v1/venues/${venueSlug}?days=${DETAIL_DAYS}`;
}

export const getRequest = (path: string, headers?: Record<string, string>): HttpRequest => ({ method: 'GET', path, ...(headers && { headers }) });

/** A booking of `slot` for its smallest party, without add-ons, under a fresh Idempotency-Key. */
export function bookingRequest(slot: BookableSlot, authorization: string, idempotencyKey: string): HttpRequest {
  return {
    method: 'POST',
    path: `/v1/venues/${slot.venueSlug}/bookings`,
    headers: { authorization, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify({ date: slot.date, slot: slot.slot, guests: slot.guests, addOns: [] }),
  };
}

/** An endless deterministic sequence; every call returns the next item. */
export type Sequence<T> = () => T;

/** Splits a counter into digits of the given bases, so every counter value is a distinct combination. */
function digits(counter: number, bases: number[]): number[] {
  let rest = counter;
  return bases.map((base) => {
    const digit = rest % base;
    rest = Math.floor(rest / base);
    return digit;
  });
}

function counterSequence<T>(make: (counter: number) => T): Sequence<T> {
  let counter = 0;
  return () => make(counter++);
}

/** Party sizes 2..59 and pages 1..3: with city and date they make each request's cache key new. */
const GUEST_COUNTS = 58;
const PAGES = 3;

/** What a request adds to its city, date and party size; the counter varies lists between requests. */
export type FilterMix = (fixtures: Fixtures, counter: number) => DiscoveryParams;

export const FILTER_MIXES = {
  guestsOnly: () => ({}),
  pagesOneToThree: (_fixtures, counter) => ({ page: 1 + (counter % PAGES) }),
  priceSort: () => ({ sort: 'price_asc' }),
  // 1,000.00 in the venue's currency: about three quarters of a euro city's venues, a tenth of a koruna city's.
  priceSortMaxPrice: () => ({ sort: 'price_asc', maxPrice: 100_000 }),
  twoCategories: ({ categories }, counter) => ({ category: [categories[counter % categories.length], categories[(counter + 1) % categories.length]] }),
  addOnInstantBook: ({ addOns }, counter) => ({ addOns: [addOns[counter % addOns.length]], instantBook: true }),
  priceRange: () => ({ minPrice: 5000, maxPrice: 200000, sort: 'price_desc' }),
  capacityRange: () => ({ minCapacity: 20, maxCapacity: 300, sort: 'capacity_desc' }),
  onlyAvailable: () => ({ onlyAvailable: true, sort: 'rating' }),
} satisfies Record<string, FilterMix>;

/**
 * The discovery-miss scenario's mixes, one per request in turn. Together they exercise every
 * filter and sort the API pushes into SQL and the legacy reference applies in code.
 */
const MISS_SHAPES: FilterMix[] = [
  FILTER_MIXES.guestsOnly,
  FILTER_MIXES.priceSort,
  FILTER_MIXES.twoCategories,
  FILTER_MIXES.addOnInstantBook,
  FILTER_MIXES.priceRange,
  FILTER_MIXES.capacityRange,
  FILTER_MIXES.onlyAvailable,
];

export const MISS_SHAPE_COUNT = MISS_SHAPES.length;

/** Cache misses: no two requests share a normalized query (shape, city, date, guests, page all vary). */
export function discoveryMisses(fixtures: Fixtures): Sequence<DiscoveryParams> {
  const { cities, workingDates } = fixtures;
  return counterSequence((counter) => {
    const [shape, city, date, guests, page] = digits(counter, [MISS_SHAPES.length, cities.length, workingDates.length, GUEST_COUNTS, PAGES]);
    return { city: cities[city].slug, date: workingDates[date], guests: 2 + guests, ...MISS_SHAPES[shape](fixtures, counter), page: 1 + page };
  });
}

/**
 * Which half of the working dates (alternate days) a sequence draws from: a warm-up pass on one
 * half visits the cities of the measured pass on the other without caching any key it will send.
 */
export type DateHalf = 0 | 1;

function datesOf({ workingDates }: Fixtures, half?: DateHalf): string[] {
  return half === undefined ? workingDates : workingDates.filter((_, index) => index % 2 === half);
}

/** Cache misses of one filter mix: the city changes with every request, then the date, then the party size. */
export function mixMisses(fixtures: Fixtures, mix: FilterMix, half: DateHalf): Sequence<DiscoveryParams> {
  const { cities } = fixtures;
  const dates = datesOf(fixtures, half);
  return counterSequence((counter) => {
    const [city, date, guests] = digits(counter, [cities.length, dates.length, GUEST_COUNTS]);
    return { city: cities[city].slug, date: dates[date], guests: 2 + guests, ...mix(fixtures, counter) };
  });
}

/** The one query the cache-hit scenarios repeat: a city and a date, the app's opening screen. No miss request lacks guests, so it never collides with them. */
export function cachedDiscovery(fixtures: Fixtures): DiscoveryParams {
  return { city: fixtures.cities[0].slug, date: fixtures.workingDates[0] };
}

/** Cache misses on dates when the city is closed by a public holiday. */
export function holidayDiscoveries({ holidays }: Fixtures): Sequence<DiscoveryParams> {
  return counterSequence((counter) => {
    const [holiday, guests, page] = digits(counter, [holidays.length, GUEST_COUNTS, PAGES]);
    return { city: holidays[holiday].city, date: holidays[holiday].date, guests: 2 + guests, page: 1 + page };
  });
}

/** Positions on a grid of 0.001° steps up to ±0.03° around the city centre. */
const GRID_STEPS = 61;
const RADIUS_KM = 5;

/** "Near me": sort=distance within 5 km of a position around the city centre; distinct positions make every request a miss. */
export function distanceDiscoveries(fixtures: Fixtures, half?: DateHalf): Sequence<DiscoveryParams> {
  const { cities } = fixtures;
  const dates = datesOf(fixtures, half);
  return counterSequence((counter) => {
    const [city, date, north, east] = digits(counter, [cities.length, dates.length, GRID_STEPS, GRID_STEPS]);
    const offset = (step: number) => (step - (GRID_STEPS - 1) / 2) / 1000;
    return {
      city: cities[city].slug,
      date: dates[date],
      guests: 10,
      lat: Number((cities[city].lat + offset(north)).toFixed(6)),
      lng: Number((cities[city].lng + offset(east)).toFixed(6)),
      radiusKm: RADIUS_KM,
      sort: 'distance',
    };
  });
}

export function venueRotation({ detailVenues }: Fixtures): Sequence<string> {
  return counterSequence((counter) => detailVenues[counter % detailVenues.length].slug);
}

/** Each slot once; past the end it starts over, and the API answers 409 (reported as errors). */
export function bookingSequence(slots: BookableSlot[]): Sequence<BookableSlot> {
  return counterSequence((counter) => slots[counter % slots.length]);
}
