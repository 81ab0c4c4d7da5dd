import { ApiProperty } from '@nestjs/swagger';
import { Matches, MaxLength } from 'class-validator';

export class CitySlugParams {
  @ApiProperty({ description: 'City slug, as listed by GET /v1/cities', example: 'madrid', pattern: '^[a-z0-9-]+$' })
  @MaxLength(100)
  @Matches(/^[a-z0-9-]+$/, { message: 'slug must contain only lowercase letters, digits and hyphens' })
  slug: string;
}
