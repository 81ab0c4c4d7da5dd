import { ApiProperty } from '@nestjs/swagger';
import { Matches, MaxLength } from 'class-validator';

/** A venue named by its numeric id or its slug (slugs are never all digits). */
export class VenueRefParams {
  @ApiProperty({ description: 'The venue id or slug', example: 'rooftop-terrace-madrid' })
  @MaxLength(200)
  @Matches(/^[a-z0-9-]+$/, { message: 'idOrSlug must be a venue id or slug' })
  idOrSlug: string;
}
