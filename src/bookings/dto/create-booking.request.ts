import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/calendar-date';
import { SLUG_PATTERN } from '../../venue-domain/dto/query-values';
import { MAX_INT4 } from '../../venue-domain/venue-ref';

/** More than any venue offers; bounds the statement's parameter array. */
const MAX_ADD_ONS = 50;

export class CreateBookingRequest {
  @ApiProperty({ format: 'date', description: "The day to book (YYYY-MM-DD), in the venue's time zone", example: '2026-12-18' })
  @IsCalendarDate()
  date: string;

  @ApiProperty({ description: 'Code of a slot the venue offers on that weekday', pattern: SLUG_PATTERN.source, example: 'evening' })
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'slot must be a slot code (lowercase letters, digits and hyphens)' })
  slot: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: "Within the venue's capacity", example: 40 })
  @IsInt()
  @Min(1)
  @Max(MAX_INT4)
  guests: number;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_ADD_ONS, uniqueItems: true, description: 'Slugs of add-ons the venue offers', example: ['catering'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ADD_ONS)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(SLUG_PATTERN, { each: true, message: 'addOns must hold add-on slugs (lowercase letters, digits and hyphens)' })
  addOns: string[] = [];
}
