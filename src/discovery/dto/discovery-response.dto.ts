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
