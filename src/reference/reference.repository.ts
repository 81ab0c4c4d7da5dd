import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CityDto } from './dto/city.dto';
import { HolidayDto } from './dto/holiday.dto';
import { ReferenceItemDto } from './dto/reference-item.dto';

type HolidayRow = { [field in keyof HolidayDto]: HolidayDto[field] | null };

@Injectable()
export class ReferenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  listCities(): Promise<CityDto[]> {
    return this.dataSource.query(`
      SELECT slug, name, country_code AS "countryCode", timezone, lat, lng
      FROM cities
      ORDER BY name, slug`);
  }

  listCategories(): Promise<ReferenceItemDto[]> {
    return this.dataSource.query(`SELECT slug, name FROM categories ORDER BY name, slug`);
  }

  listAddOns(): Promise<ReferenceItemDto[]> {
    return this.dataSource.query(`SELECT slug, name FROM add_ons ORDER BY name, slug`);
  }

  /**
   * The holidays of a city between two dates inclusive, or undefined when no city has that slug.
   * One statement: the city is the outer side of the join, so an unknown slug yields no row and a
   * city without holidays yields one row of nulls. Dates leave PostgreSQL as text (see calendar-date.ts).
   */
  async findCityHolidays(citySlug: string, from: string, to: string): Promise<HolidayDto[] | undefined> {
    const rows: HolidayRow[] = await this.dataSource.query(
      `
      SELECT to_char(holiday.date, 'YYYY-MM-DD') AS date,
             holiday.name,
             CASE WHEN holiday.city_id IS NULL THEN 'country' ELSE 'city' END AS scope
      FROM cities city
      LEFT JOIN public_holidays holiday
        ON (holiday.city_id = city.id OR (holiday.city_id IS NULL AND holiday.country_code = city.country_code))
       AND holiday.date BETWEEN $2::date AND $3::date
      WHERE city.slug = $1
      ORDER BY holiday.date, holiday.name`,
      [citySlug, from, to],
    );
    if (rows.length === 0) return undefined;
    return rows.filter((row): row is HolidayDto => row.date !== null);
  }
}
