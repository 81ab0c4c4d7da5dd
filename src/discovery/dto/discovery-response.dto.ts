import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../common/page-meta.dto';
import { VenueCardDto } from '../../venue-domain/dto/venue-card.dto';
import { DISCOVERY_SORTS, DiscoverySort } from './discovery.query';

export class HolidayRefDto {
  @ApiProperty({ format: 'date', example: '2026-05-15' })
  date: string;

  @ApiProperty({ example: 'San Isidro' })
  name: string;
}

export class DiscoveryMetaDto extends PageMetaDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 101,
    description:
      'Venues matching the search: exact when totalExact is true; otherwise a lower bound. Matches are counted up to five pages past the start of the requested page (101 for page 1 of 20), so a search costs what its page costs, not what its city holds',
  })
  declare total: number;

  @ApiProperty({
    example: false,
    description: 'false: there are at least total matches (more pages than totalPages may follow). Always true for sort=distance, which counts every venue within its radius',
  })
  totalExact: boolean;

  @ApiProperty({ type: 'integer', minimum: 0, example: 6, description: 'Pages of total; a lower bound when totalExact is false' })
  declare totalPages: number;

  @ApiProperty({ enum: DISCOVERY_SORTS, example: 'relevance' })
  sort: DiscoverySort;

  @ApiProperty({ type: 'string', format: 'date', nullable: true, example: '2026-06-12' })
  date: string | null;

  @ApiProperty({
    type: HolidayRefDto,
    nullable: true,
    description: "The city's public holiday on date (every venue is closed); null without city or date, or on a working day",
  })
  holiday: HolidayRefDto | null;
}

export class DiscoveryResponseDto {
  @ApiProperty({ type: [VenueCardDto] })
  data: VenueCardDto[];

  @ApiProperty({ type: DiscoveryMetaDto })
  meta: DiscoveryMetaDto;
}
