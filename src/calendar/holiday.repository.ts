import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface HolidayRow {
  countryCode: string;
  cityId: number | null;
  date: string;
  name: string;
}

@Injectable()
export class HolidayRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every holiday from last week on: a few hundred rows even for the large dataset. */
  findUpcoming(): Promise<HolidayRow[]> {
    return this.dataSource
      .createQueryBuilder()
      .select(['h.country_code AS "countryCode"', 'h.city_id AS "cityId"', `to_char(h.date, 'YYYY-MM-DD') AS "date"`, 'h.name AS "name"'])
      .from('public_holidays', 'h')
      .where(`h.date >= current_date - 7`)
      .getRawMany<HolidayRow>();
  }
}
