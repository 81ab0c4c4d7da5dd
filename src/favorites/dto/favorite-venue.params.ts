import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_INT4, PlainInteger } from '../../venues/dto/plain-integer.transform';

export class FavoriteVenueParams {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_INT4, example: 17 })
  @PlainInteger()
  @IsInt({ message: 'venueId must be a positive integer' })
  @Min(1)
  @Max(MAX_INT4)
  venueId: number;
}
