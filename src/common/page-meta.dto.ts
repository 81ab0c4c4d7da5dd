import { ApiProperty } from '@nestjs/swagger';

/** The pagination part of every paginated list's `meta`. */
export class PageMetaDto {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  page: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 20 })
  pageSize: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Items matching the request, over all pages', example: 412 })
  total: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 21 })
  totalPages: number;
}
