import { ApiPropertyOptional } from '@nestjs/swagger';
import { Expose, Transform } from 'class-transformer';
import { addDays, IsAtMostDaysAfter, IsCalendarDate, IsNotBefore, isCalendarDate, todayUtc } from '../../common/calendar-date';

const DEFAULT_RANGE_DAYS = 365;
/** Counted as to − from, so a range may run from a day to the same day a year later, even across a leap day. */
const MAX_RANGE_DAYS = 366;

/** An empty value (`from=`) means the same as an absent one. */
const emptyAsAbsent = (value: unknown): unknown => (value === '' ? undefined : value);
const fromOrToday = (value: unknown): unknown => emptyAsAbsent(value) ?? todayUtc();
/** When `from` is invalid the request fails on `from` alone, so `to` only needs some valid default. */
const defaultTo = (from: unknown): string => addDays(isCalendarDate(from) ? from : todayUtc(), DEFAULT_RANGE_DAYS);

/**
 * Defaults are applied here, so after validation both bounds are always set. @Expose makes
 * class-transformer run the transforms when the parameter is absent too.
 */
export class HolidaysQuery {
  @ApiPropertyOptional({ format: 'date', description: 'First day, inclusive (default: today in UTC)', example: '2026-01-01' })
  @Expose()
  @Transform(({ value }) => fromOrToday(value))
  @IsCalendarDate()
  from: string;

  @ApiPropertyOptional({
    format: 'date',
    description: `Last day, inclusive (default: from + ${DEFAULT_RANGE_DAYS} days); not before from and at most ${MAX_RANGE_DAYS} days after it`,
    example: '2026-12-31',
  })
  @Expose()
  @Transform(({ value, obj }) => emptyAsAbsent(value) ?? defaultTo(fromOrToday((obj as Record<string, unknown>).from)))
  @IsCalendarDate()
  @IsNotBefore('from')
  @IsAtMostDaysAfter('from', MAX_RANGE_DAYS)
  to: string;
}
