import { DayNumber, EpochSeconds, epochSecondsAt } from '../calendar';
import type { AddOnData, CategoryData } from '../data/catalog';
import type { CityData } from '../data/cities';
import type { Currency } from '../data/currencies';
import { Random, randomFor } from '../random';
import type { Scale } from '../scales';

/** Bookings, blackouts and price overrides fall on the days after `today`, up to this many. */
export const BOOKING_WINDOW_DAYS = 60;

export interface SeededCity extends CityData {
  id: number;
  currency: Currency;
}

export interface SeededCategory extends CategoryData {
  id: number;
}

export interface SeededAddOn extends AddOnData {
  id: number;
}

/**
 * What later tables need to know about a venue, kept in memory for every venue (a few numbers
 * each, so even `large` fits); the rest is regenerated from the venue's random streams.
 */
export interface VenuePlan {
  id: number;
  city: SeededCity;
  category: SeededCategory;
  hostId: number;
  minCapacity: number;
  maxCapacity: number;
  basePriceCents: number;
  /** Slot ids are assigned in venue order, so each venue's slots are a consecutive range. */
  firstSlotId: number;
}

/** Everything the per-venue generators share; built once, read-only afterwards. */
export interface SeedContext {
  scale: Scale;
  today: DayNumber;
  cities: readonly SeededCity[];
  categories: readonly SeededCategory[];
  addOns: readonly SeededAddOn[];
  /** Host user ids by city index: a host lists venues in one city only. */
  hostIdsByCity: readonly (readonly number[])[];
  /** Users who book, review and favourite (the demo user among them). */
  guestIds: readonly number[];
  /** Public holidays of each city (its country's and its own), by city id. */
  holidaysByCityId: ReadonlyMap<number, ReadonlySet<DayNumber>>;
  /** The days after `today` that bookings, blackouts and price overrides fall on. */
  bookingWindow: readonly DayNumber[];
}

/** The seeded random stream for one thing (`slots` of venue 42), distinct per scale. */
export function randomOf(context: SeedContext, stream: string, id: number): Random {
  return randomFor(context.scale.name, stream, id);
}

export function bookingWindowAfter(today: DayNumber): DayNumber[] {
  return Array.from({ length: BOOKING_WINDOW_DAYS }, (_, index) => today + 1 + index);
}

/** A moment between `minDaysAgo` and `maxDaysAgo` days before today. */
export function pastMoment(random: Random, today: DayNumber, minDaysAgo: number, maxDaysAgo: number): EpochSeconds {
  return epochSecondsAt(today - random.int(minDaysAgo, maxDaysAgo), random.int(0, 86_399));
}
