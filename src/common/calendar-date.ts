import { ValidateBy, ValidationArguments } from 'class-validator';

/**
 * Calendar dates travel as 'YYYY-MM-DD' strings from the query string to PostgreSQL `date`
 * parameters and back, never as JS Dates, so no time zone can shift them by a day.
 */
const CALENDAR_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** Strict YYYY-MM-DD naming a day that exists (2026-02-30 does not) and that PostgreSQL accepts (it has no year 0). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !CALENDAR_DATE_PATTERN.test(value) || value.startsWith('0000')) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

let formattedDay = { dayNumber: Number.NaN, date: '' };

/** Formatted once a day: a cached request's validation asks for it every time. */
export function todayUtc(): string {
  const dayNumber = Math.floor(Date.now() / DAY_MS);
  if (dayNumber !== formattedDay.dayNumber) formattedDay = { dayNumber, date: new Date(dayNumber * DAY_MS).toISOString().slice(0, 10) };
  return formattedDay.date;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(date) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / DAY_MS;
}

export function IsCalendarDate(): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value) => isCalendarDate(value),
      defaultMessage: (args?: ValidationArguments) => `${args?.property} must be a real calendar date in the form YYYY-MM-DD`,
    },
  });
}

/*
 * The range checks below compare with another date property of the same object. They pass when
 * either side is not a calendar date: that side already fails its own IsCalendarDate, which names it.
 */
function startOf(args: ValidationArguments): unknown {
  const [startProperty] = args.constraints as [string];
  return (args.object as Record<string, unknown>)[startProperty];
}

export function IsNotBefore(startProperty: string): PropertyDecorator {
  return ValidateBy({
    name: 'isNotBefore',
    constraints: [startProperty],
    validator: {
      validate: (value, args) => {
        const start = startOf(args!);
        return !isCalendarDate(value) || !isCalendarDate(start) || value >= start;
      },
      defaultMessage: (args?: ValidationArguments) => `${args?.property} must not be before ${startProperty}`,
    },
  });
}

export function IsAtMostDaysAfter(startProperty: string, maxDays: number): PropertyDecorator {
  return ValidateBy({
    name: 'isAtMostDaysAfter',
    constraints: [startProperty, maxDays],
    validator: {
      validate: (value, args) => {
        const start = startOf(args!);
        return !isCalendarDate(value) || !isCalendarDate(start) || daysBetween(start, value) <= maxDays;
      },
      defaultMessage: (args?: ValidationArguments) => `${args?.property} must be at most ${maxDays} days after ${startProperty}`,
    },
  });
}
