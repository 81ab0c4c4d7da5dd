import { ApiProperty } from '@nestjs/swagger';

export const HOLIDAY_SCOPES = ['country', 'city'] as const;
export type HolidayScope = (typeof HOLIDAY_SCOPES)[number];

export class HolidayDto {
  @ApiProperty({ format: 'date', example: '2026-05-15' })
  date: string;

  @ApiProperty({ example: 'San Isidro' })
  name: string;

  @ApiProperty({ enum: HOLIDAY_SCOPES, description: "'country': nationwide; 'city': this city only", example: 'city' })
  scope: HolidayScope;
}

export class HolidayListDto {
  @ApiProperty({ type: [HolidayDto], description: 'Ordered by date' })
  data: HolidayDto[];
}
