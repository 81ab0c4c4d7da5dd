import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** Plain decimal digits become a number; an empty value takes the default; anything else fails IsInt by name. */
const toPageNumber =
  (fallback: number) =>
  ({ value }: { value: unknown }): unknown => {
    if (value === undefined || value === '') return fallback;
    return typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;
  };

export class MyBookingsQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100000, default: 1 })
  @Transform(toPageNumber(1))
  @IsInt()
  @Min(1)
  @Max(100000)
  page = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @Transform(toPageNumber(20))
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 20;
}
