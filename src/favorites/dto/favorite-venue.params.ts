import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { toPlainInteger } from '../../venue-domain/dto/query-values';
import { MAX_INT4 } from '../../venue-domain/venue-ref';

export class FavoriteVenueParams {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_INT4, example: 17 })
  @Transform(toPlainInteger)
  @IsInt({ message: 'venueId must be a positive integer' })
  @Min(1)
  @Max(MAX_INT4)
  venueId: number;
}
