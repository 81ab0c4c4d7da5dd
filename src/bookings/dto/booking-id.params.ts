import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Min } from 'class-validator';

export class BookingIdParams {
  @ApiProperty({ type: 'integer', minimum: 1, example: 4711 })
  // Plain decimal digits only ("1e3", "7abc" stay strings and fail IsInt); beyond 2^53 is no id either.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'id must be a booking id (a positive integer)' })
  @Min(1)
  id: number;
}
