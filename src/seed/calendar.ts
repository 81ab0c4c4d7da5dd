/**
 * Dates as UTC day numbers (days since 1970-01-01) and moments as epoch seconds: plain integers
 * are cheap to add, compare, put in sets and send, which matters with millions of bookings.
 * Calendar dates have no time zone, so UTC arithmetic gives the right weekday for every city.
 */
export type DayNumber = number;
export type EpochSeconds = number;

const MS_PER_DAY = 86_400_000;
const SECONDS_PER_DAY = 86_400;

export function dayNumberOf(moment: Date): DayNumber {
  return Math.floor(moment.getTime() / MS_PER_DAY);
}

export function dayNumberFor(year: number, month: number, day: number): DayNumber {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function yearOf(day: DayNumber): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday, as venue_slots.weekday counts. 1970-01-01 was a Thursday. */
export function weekdayOf(day: DayNumber): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function epochSecondsAt(day: DayNumber, secondOfDay: number): EpochSeconds {
  return day * SECONDS_PER_DAY + secondOfDay;
}
