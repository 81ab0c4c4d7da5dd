import { ApiProperty } from '@nestjs/swagger';

/** A named thing of the catalog (city, category, add-on): its slug is what request parameters use. */
export class SlugNameDto {
  @ApiProperty({ example: 'madrid' })
  slug: string;

  @ApiProperty({ example: 'Madrid' })
  name: string;
}
