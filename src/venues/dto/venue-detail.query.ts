import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/calendar-date';
import { emptyAsAbsent, IsBookableDate, toPlainInteger, withDefault } from '../../venue-domain/dto/query-values';

export const DEFAULT_DAYS = 7;
export const MAX_DAYS = 31;
/** The same window as discovery's date: what the detail shows is what can be booked. */
const MAX_DAYS_AHEAD = 365;

export class VenueDetailQuery {
  @ApiPropertyOptional({
    format: 'date',
    description: "First day of the availability (default: today in the venue's time zone); from yesterday (UTC) to 365 days ahead",
    example: '2026-06-12',
  })
  @Transform(emptyAsAbsent)
  @IsOptional()
  @IsCalendarDate()
  @IsBookableDate(MAX_DAYS_AHEAD)
  from?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_DAYS, default: DEFAULT_DAYS, description: 'Days of availability from `from`' })
  @Transform(withDefault(toPlainInteger, DEFAULT_DAYS))
  @IsInt({ message: `days must be an integer from 1 to ${MAX_DAYS}` })
  @Min(1)
  @Max(MAX_DAYS)
  days: number = DEFAULT_DAYS;
}
