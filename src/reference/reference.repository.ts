import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CityDto } from './dto/city.dto';
import { HolidayDto } from './dto/holiday.dto';
import { ReferenceItemDto } from './dto/reference-item.dto';

type HolidayDtoRow = { [field in keyof HolidayDto]: HolidayDto[field] | null };

export interface HolidayRow {
  countryCode: string;
  cityId: number | null;
  date: string;
  name: string;
}

export interface CatalogCity {
  id: number;
  slug: string;
  countryCode: string;
}

export interface CatalogItem {
  id: number;
  slug: string;
}

export interface CatalogRows {
  cities: CatalogCity[];
  categories: CatalogItem[];
  addOns: CatalogItem[];
}

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
    const rows: HolidayDtoRow[] = await this.dataSource.query(
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

  /** Every holiday from last week on, for the in-memory calendar: a few hundred rows even for the large dataset. */
  findUpcomingHolidays(): Promise<HolidayRow[]> {
    return this.dataSource
      .createQueryBuilder()
      .select(['h.country_code AS "countryCode"', 'h.city_id AS "cityId"', `to_char(h.date, 'YYYY-MM-DD') AS "date"`, 'h.name AS "name"'])
      .from('public_holidays', 'h')
      .where(`h.date >= current_date - 7`)
      .getRawMany<HolidayRow>();
  }

  /** The three slug vocabularies in one statement, for the in-memory catalog: a few hundred rows at most. */
  async findCatalog(): Promise<CatalogRows> {
    const [row] = await this.dataSource.query(`
      SELECT
        (SELECT coalesce(json_agg(json_build_object('id', id, 'slug', slug, 'countryCode', country_code)), '[]') FROM cities) AS cities,
        (SELECT coalesce(json_agg(json_build_object('id', id, 'slug', slug)), '[]') FROM categories) AS categories,
        (SELECT coalesce(json_agg(json_build_object('id', id, 'slug', slug)), '[]') FROM add_ons) AS "addOns"`);
    return row as CatalogRows;
  }

  /** Every app_config entry, for the in-memory runtime settings. */
  async findAppConfig(): Promise<Map<string, unknown>> {
    const rows = await this.dataSource
      .createQueryBuilder()
      .select(['c.key AS "key"', 'c.value AS "value"'])
      .from('app_config', 'c')
      .getRawMany<{ key: string; value: unknown }>();
    return new Map(rows.map((row) => [row.key, row.value]));
  }
}
