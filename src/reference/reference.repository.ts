import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { GenerateSql } from '../common/generate-sql.decorator';
import { UnitOfWork } from '../database/unit-of-work';
import { CityDto } from './dto/city.dto';
import { HolidayDto } from './dto/holiday.dto';
import { ReferenceItemDto } from './dto/reference-item.dto';
import { AddOn } from './entities/add-on.entity';
import { AppConfigEntry } from './entities/app-config-entry.entity';
import { Category } from './entities/category.entity';
import { City } from './entities/city.entity';
import { PublicHoliday } from './entities/public-holiday.entity';

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

/** Dates leave PostgreSQL as text (see calendar-date.ts). */
const DATE_TEXT = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`;

@Injectable()
export class ReferenceRepository {
  constructor(
    @InjectRepository(City) private readonly cities: Repository<City>,
    @InjectRepository(Category) private readonly categories: Repository<Category>,
    @InjectRepository(AddOn) private readonly addOns: Repository<AddOn>,
    @InjectRepository(PublicHoliday) private readonly holidays: Repository<PublicHoliday>,
    @InjectRepository(AppConfigEntry) private readonly appConfig: Repository<AppConfigEntry>,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  @GenerateSql({ name: 'all, by name', params: [] })
  listCities(): Promise<CityDto[]> {
    return this.cities
      .createQueryBuilder('city', this.unitOfWork.queryRunner)
      .select('city.slug', 'slug')
      .addSelect('city.name', 'name')
      .addSelect('city.countryCode', 'countryCode')
      .addSelect('city.timezone', 'timezone')
      .addSelect('city.lat', 'lat')
      .addSelect('city.lng', 'lng')
      .orderBy('city.name')
      .addOrderBy('city.slug')
      .getRawMany<CityDto>();
  }

  @GenerateSql({ name: 'all, by name', params: [] })
  listCategories(): Promise<ReferenceItemDto[]> {
    return this.categories
      .createQueryBuilder('category', this.unitOfWork.queryRunner)
      .select('category.slug', 'slug')
      .addSelect('category.name', 'name')
      .orderBy('category.name')
      .addOrderBy('category.slug')
      .getRawMany<ReferenceItemDto>();
  }

  @GenerateSql({ name: 'all, by name', params: [] })
  listAddOns(): Promise<ReferenceItemDto[]> {
    return this.addOns
      .createQueryBuilder('addOn', this.unitOfWork.queryRunner)
      .select('addOn.slug', 'slug')
      .addSelect('addOn.name', 'name')
      .orderBy('addOn.name')
      .addOrderBy('addOn.slug')
      .getRawMany<ReferenceItemDto>();
  }

  /**
   * The holidays of a city between two dates inclusive, or undefined when no city has that slug.
   * One statement: the city is the outer side of the join, so an unknown slug yields no row and a
   * city without holidays yields one row of nulls. The join is on the entity, not the `city`
   * relation: nationwide holidays (no city) match by the city's country.
   */
  @GenerateSql({ name: 'a city, one month', params: ['madrid', '2026-12-01', '2026-12-31'] })
  async findCityHolidays(citySlug: string, from: string, to: string): Promise<HolidayDto[] | undefined> {
    const rows = await this.cities
      .createQueryBuilder('city', this.unitOfWork.queryRunner)
      .leftJoin(
        PublicHoliday,
        'holiday',
        '(holiday.cityId = city.id OR (holiday.cityId IS NULL AND holiday.countryCode = city.countryCode)) AND holiday.date BETWEEN :from::date AND :to::date',
        { from, to },
      )
      .select(DATE_TEXT('holiday.date'), 'date')
      .addSelect('holiday.name', 'name')
      .addSelect(`CASE WHEN holiday.cityId IS NULL THEN 'country' ELSE 'city' END`, 'scope')
      .where('city.slug = :citySlug', { citySlug })
      .orderBy('holiday.date')
      .addOrderBy('holiday.name')
      .getRawMany<HolidayDtoRow>();
    if (rows.length === 0) return undefined;
    // TypeORM lists column selections before expressions: rebuild each in the documented field order.
    return rows.filter((row): row is HolidayDto => row.date !== null).map(({ date, name, scope }) => ({ date, name, scope }));
  }

  /** Every holiday from last week on, for the in-memory calendar: a few hundred rows even for the large dataset. */
  @GenerateSql({ name: 'from a week ago', params: [] })
  findUpcomingHolidays(): Promise<HolidayRow[]> {
    return this.holidays
      .createQueryBuilder('holiday')
      .select('holiday.countryCode', 'countryCode')
      .addSelect('holiday.cityId', 'cityId')
      .addSelect(DATE_TEXT('holiday.date'), 'date')
      .addSelect('holiday.name', 'name')
      .where('holiday.date >= current_date - 7')
      .getRawMany<HolidayRow>();
  }

  /** The three slug vocabularies in one statement, for the in-memory catalog: a few hundred rows at most. */
  @GenerateSql({ name: 'everything', params: [], rows: [[{ cities: [], categories: [], addOns: [] }]] })
  async findCatalog(): Promise<CatalogRows> {
    const catalog = this.cities
      .createQueryBuilder('city')
      .select(`coalesce(json_agg(json_build_object('id', city.id, 'slug', city.slug, 'countryCode', city.countryCode)), '[]')`, 'cities');
    const categories = catalog.subQuery().select(`coalesce(json_agg(json_build_object('id', category.id, 'slug', category.slug)), '[]')`).from(Category, 'category');
    const addOns = catalog.subQuery().select(`coalesce(json_agg(json_build_object('id', addOn.id, 'slug', addOn.slug)), '[]')`).from(AddOn, 'addOn');
    const row = await catalog.addSelect(categories.getQuery(), 'categories').addSelect(addOns.getQuery(), 'addOns').getRawOne<CatalogRows>();
    return row!;
  }

  /** Every app_config entry, for the in-memory runtime settings. */
  @GenerateSql({ name: 'everything', params: [] })
  async findAppConfig(): Promise<Map<string, unknown>> {
    const rows = await this.appConfig
      .createQueryBuilder('entry')
      .select('entry.key', 'key')
      .addSelect('entry.value', 'value')
      .getRawMany<{ key: string; value: unknown }>();
    return new Map(rows.map((row) => [row.key, row.value]));
  }
}
