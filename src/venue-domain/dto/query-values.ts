import { ValidateBy, ValidationArguments } from 'class-validator';
import { addDays, isCalendarDate, todayUtc } from '../../common/calendar-date';

/*
 * Edge rules of SPEC §4 for query-string values, in one place. Each transform turns a valid raw
 * value into its typed form and hands anything else through unchanged, so the validator after it
 * rejects that value and the 400 names the parameter.
 */

type TransformInput = { value: unknown };

export const SLUG_PATTERN = /^[a-z0-9-]{1,100}$/;
const PLAIN_INTEGER = /^\d{1,10}$/;
const PLAIN_DECIMAL = /^-?\d{1,4}(\.\d{1,20})?$/;

/** `guests=` means the same as no `guests` at all. */
export const emptyAsAbsent = ({ value }: TransformInput): unknown => (value === '' ? undefined : value);

/** Plain decimal digits only: `1e3`, `12abc`, `-1`, `1.5` and ` 1` stay strings and fail validation. */
export const toPlainInteger = ({ value }: TransformInput): unknown =>
  typeof value === 'string' && PLAIN_INTEGER.test(value) ? Number(value) : emptyAsAbsent({ value });

/** An integer filter of 0 means "no filter", exactly as if it were absent. */
export const toIntegerFilter = (input: TransformInput): unknown => {
  const value = toPlainInteger(input);
  return value === 0 ? undefined : value;
};

/** Coordinates and radii: an optional sign, digits and an optional fraction; no exponent. */
export const toPlainDecimal = ({ value }: TransformInput): unknown =>
  typeof value === 'string' && PLAIN_DECIMAL.test(value) ? Number(value) : emptyAsAbsent({ value });

/** true/false/1/0 only; `yes`, `TRUE` and the like stay strings and fail validation. */
export const toStrictBoolean = ({ value }: TransformInput): unknown => {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return emptyAsAbsent({ value });
};

/**
 * A slug list given as a comma list, repeated parameters or both: split, trimmed, deduplicated
 * and sorted, so equal lists are equal values (and equal cache keys). Nothing left: absent.
 */
export const toSlugList = ({ value }: TransformInput): unknown => {
  const parts = [value].flat();
  if (!parts.every((part) => typeof part === 'string')) return value;
  const slugs = [...new Set((parts as string[]).flatMap((part) => part.split(',')).map((slug) => slug.trim()).filter(Boolean))].sort();
  return slugs.length === 0 ? undefined : slugs;
};

/** An absent or empty value takes the default, so a validated query always carries one. */
export const withDefault =
  (transform: (input: TransformInput) => unknown, fallback: unknown) =>
  (input: TransformInput): unknown =>
    transform(input) ?? fallback;

/** A cross-parameter rule: `holds` sees the whole query; the message names the property it decorates. */
export function Requires(holds: (query: Record<string, unknown>) => boolean, message: string): PropertyDecorator {
  return ValidateBy({
    name: 'requires',
    validator: {
      validate: (_value, args) => holds(args!.object as Record<string, unknown>),
      defaultMessage: () => message,
    },
  });
}

interface NumberRange {
  min: number;
  max: number;
  integer?: boolean;
  /** min itself is out of range (radiusKm > 0). */
  exclusiveMin?: boolean;
}

/** A number within a range, reported as one error naming the parameter whatever is wrong with the value. */
export function IsNumberIn({ min, max, integer = false, exclusiveMin = false }: NumberRange): PropertyDecorator {
  const kind = integer ? 'plain decimal integer' : 'plain decimal number';
  const lower = exclusiveMin ? `greater than ${min}` : `from ${min}`;
  return ValidateBy({
    name: 'isNumberIn',
    constraints: [min, max],
    validator: {
      validate: (value) =>
        typeof value === 'number' && (!integer || Number.isInteger(value)) && (exclusiveMin ? value > min : value >= min) && value <= max,
      defaultMessage: (args?: ValidationArguments) => `${args?.property} must be a ${kind} ${lower} ${exclusiveMin ? 'up ' : ''}to ${max}`,
    },
  });
}

/** min ≤ max; passes while either side is not a number, which its own validators report. */
export function IsNotGreaterThan(maxProperty: string): PropertyDecorator {
  return ValidateBy({
    name: 'isNotGreaterThan',
    constraints: [maxProperty],
    validator: {
      validate: (value, args) => {
        const max = (args!.object as Record<string, unknown>)[maxProperty];
        return typeof value !== 'number' || typeof max !== 'number' || value <= max;
      },
      defaultMessage: (args?: ValidationArguments) => `${args?.property} must not be greater than ${maxProperty}`,
    },
  });
}

/** From yesterday (UTC: a client west of Greenwich may still live in it) to `maxDaysAhead` days after today. */
export function IsBookableDate(maxDaysAhead: number): PropertyDecorator {
  return ValidateBy({
    name: 'isBookableDate',
    validator: {
      validate: (value) => {
        if (!isCalendarDate(value)) return true;
        const today = todayUtc();
        return value >= addDays(today, -1) && value <= addDays(today, maxDaysAhead);
      },
      defaultMessage: (args?: ValidationArguments) => `${args?.property} must be between yesterday and ${maxDaysAhead} days from today (UTC)`,
    },
  });
}
