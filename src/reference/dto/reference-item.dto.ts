import { ApiProperty } from '@nestjs/swagger';
import { SlugNameDto } from '../../common/slug-name.dto';

/** A category or an add-on: the slug is what discovery filters and bookings accept. */
export class ReferenceItemDto extends SlugNameDto {}

export class ReferenceItemListDto {
  @ApiProperty({ type: [ReferenceItemDto], description: 'Ordered by name' })
  data: ReferenceItemDto[];
}
