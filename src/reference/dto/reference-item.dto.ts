import { ApiProperty } from '@nestjs/swagger';

/** A category or an add-on: the slug is what discovery filters and bookings accept. */
export class ReferenceItemDto {
  @ApiProperty({ example: 'rooftop' })
  slug: string;

  @ApiProperty({ example: 'Rooftop' })
  name: string;
}

export class ReferenceItemListDto {
  @ApiProperty({ type: [ReferenceItemDto], description: 'Ordered by name' })
  data: ReferenceItemDto[];
}
