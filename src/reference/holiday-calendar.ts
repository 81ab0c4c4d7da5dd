import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Memoized } from '../common/memoized';
import { ReferenceChangeListener } from '../database/reference-change-listener';
import { HolidayRow, ReferenceRepository } from './reference.repository';

export interface Holiday {
  date: string;
  name: string;
}

export interface CityRef {
  id: number;
  countryCode: string;
}

type HolidayIndex = Map<string, string>;

const cityKey = (cityId: number, date: string) => `city:${cityId}:${date}`;
const countryKey = (countryCode: string, date: string) => `country:${countryCode}:${date}`;

function indexHolidays(rows: HolidayRow[]): HolidayIndex {
  const index: HolidayIndex = new Map();
  for (const row of rows) {
    index.set(row.cityId === null ? countryKey(row.countryCode, row.date) : cityKey(row.cityId, row.date), row.name);
  }
  return index;
}

function holidayIn(index: HolidayIndex, city: CityRef, date: string): Holiday | null {
  const name = index.get(cityKey(city.id, date)) ?? index.get(countryKey(city.countryCode, date));
  return name === undefined ? null : { date, name };
}

/**
 * Public holidays answered from memory: a holiday request runs no statement for them. The
 * table is reloaded when it changes (NOTIFY from its trigger) or after HOLIDAY_CALENDAR_TTL_S.
 */
@Injectable()
export class HolidayCalendar {
  private readonly index: Memoized<HolidayIndex>;

  constructor(repository: ReferenceRepository, changes: ReferenceChangeListener, config: AppConfig) {
    this.index = changes.snapshot({
      name: 'holiday calendar',
      tables: ['public_holidays'],
      ttlMs: config.HOLIDAY_CALENDAR_TTL_S * 1000,
      load: async () => indexHolidays(await repository.findUpcomingHolidays()),
    });
  }

  /** The holiday closing venues of `city` on `date` (a city holiday first, else the country's). */
  async holidayOn(city: CityRef, date: string): Promise<Holiday | null> {
    return holidayIn(await this.index.get(), city, date);
  }

  /** Holidays of `city` on each of `dates`, keyed by date. */
  async holidaysOn(city: CityRef, dates: string[]): Promise<Map<string, Holiday>> {
    const index = await this.index.get();
    const holidays = new Map<string, Holiday>();
    for (const date of dates) {
      const holiday = holidayIn(index, city, date);
      if (holiday) holidays.set(date, holiday);
    }
    return holidays;
  }

  /**
   * The holiday closing each of `cities` on `date`, keyed by city id (cities without one are left
   * out). One wait for the index for all of them: a page of venues asks for its cities at once.
   */
  async holidaysOfCities(cities: Iterable<CityRef>, date: string): Promise<Map<number, Holiday>> {
    const index = await this.index.get();
    const holidays = new Map<number, Holiday>();
    for (const city of cities) {
      const holiday = holidays.has(city.id) ? null : holidayIn(index, city, date);
      if (holiday) holidays.set(city.id, holiday);
    }
    return holidays;
  }

  /** Reloads now; for callers that just changed the table and must see it (tests, admin tools). */
  async refresh(): Promise<void> {
    await this.index.refresh();
  }
}
