import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { SLUG_PATTERN } from '../../venue-domain/dto/query-values';

export class VenueRefParams {
  @ApiProperty({ description: 'The venue id (digits only) or its slug', pattern: SLUG_PATTERN.source, example: 'la-terraza-del-sol' })
  @Matches(SLUG_PATTERN, { message: 'idOrSlug must be a venue id or a slug (lowercase letters, digits and hyphens)' })
  idOrSlug: string;
}
