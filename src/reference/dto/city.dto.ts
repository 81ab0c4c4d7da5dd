import { ApiProperty } from '@nestjs/swagger';

export class CityDto {
  @ApiProperty({ example: 'madrid' })
  slug: string;

  @ApiProperty({ example: 'Madrid' })
  name: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2', pattern: '^[A-Z]{2}$', example: 'ES' })
  countryCode: string;

  @ApiProperty({ description: 'IANA time zone', example: 'Europe/Madrid' })
  timezone: string;

  @ApiProperty({ type: 'number', format: 'double', minimum: -90, maximum: 90, example: 40.4168 })
  lat: number;

  @ApiProperty({ type: 'number', format: 'double', minimum: -180, maximum: 180, example: -3.7038 })
  lng: number;
}

export class CityListDto {
  @ApiProperty({ type: [CityDto], description: 'Ordered by name' })
  data: CityDto[];
}
