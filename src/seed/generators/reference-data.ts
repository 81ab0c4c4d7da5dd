import { DayNumber, EpochSeconds, dayNumberFor, epochSecondsAt, yearOf } from '../calendar';
import { ADD_ONS, CATEGORIES } from '../data/catalog';
import { CITIES } from '../data/cities';
import { CURRENCY_BY_COUNTRY } from '../data/currencies';
import { CITY_HOLIDAYS, FixedHoliday, NATIONAL_HOLIDAYS } from '../data/holidays';
import type { Scale } from '../scales';
import { defineTable } from '../table-writer';
import type { SeededAddOn, SeededCategory, SeededCity } from './seed-context';

export interface CityRow {
  id: number;
  slug: string;
  name: string;
  countryCode: string;
  timezone: string;
  lat: number;
  lng: number;
}

export const citiesTable = defineTable<CityRow>('cities', {
  id: 'integer',
  slug: 'text',
  name: 'text',
  countryCode: 'text',
  timezone: 'text',
  lat: 'double precision',
  lng: 'double precision',
});

export interface CatalogRow {
  id: number;
  slug: string;
  name: string;
}

const catalogColumns = { id: 'integer', slug: 'text', name: 'text' } as const;
export const categoriesTable = defineTable<CatalogRow>('categories', catalogColumns);
export const addOnsTable = defineTable<CatalogRow>('add_ons', catalogColumns);

export interface HolidayRow {
  countryCode: string;
  cityId: number | null;
  date: DayNumber;
  name: string;
}

export const publicHolidaysTable = defineTable<HolidayRow>('public_holidays', {
  countryCode: 'text',
  cityId: 'integer',
  date: 'date',
  name: 'text',
});

export interface AppConfigRow {
  key: string;
  value: unknown;
  updatedAt: EpochSeconds;
}

export const appConfigTable = defineTable<AppConfigRow>('app_config', {
  key: 'text',
  value: 'jsonb',
  updatedAt: 'timestamptz',
});

/** Runtime settings the API reads from app_config (SPEC §4: cache TTL and page sizes). */
const APP_CONFIG: Readonly<Record<string, unknown>> = {
  'discovery.cache_ttl_seconds': 60,
  'discovery.default_page_size': 20,
  'discovery.max_page_size': 100,
  'booking.max_days_ahead': 365,
};

export function seededCities(scale: Scale): SeededCity[] {
  return CITIES.slice(0, scale.cityCount).map((city, index) => ({
    ...city,
    id: index + 1,
    currency: CURRENCY_BY_COUNTRY[city.countryCode],
  }));
}

export function seededCategories(): SeededCategory[] {
  return CATEGORIES.map((category, index) => ({ ...category, id: index + 1 }));
}

export function seededAddOns(): SeededAddOn[] {
  return ADD_ONS.map((addOn, index) => ({ ...addOn, id: index + 1 }));
}

export function cityRows(cities: readonly SeededCity[]): CityRow[] {
  return cities.map(({ id, slug, name, countryCode, timezone, lat, lng }) => ({ id, slug, name, countryCode, timezone, lat, lng }));
}

export function catalogRows(entries: ReadonlyArray<CatalogRow>): CatalogRow[] {
  return entries.map(({ id, slug, name }) => ({ id, slug, name }));
}

export function appConfigRows(today: DayNumber): AppConfigRow[] {
  return Object.entries(APP_CONFIG).map(([key, value]) => ({ key, value, updatedAt: epochSecondsAt(today, 0) }));
}

/**
 * The fixed-date holidays of this year and the next: national ones (city_id null) for every
 * seeded country, and the city-only ones of seeded cities.
 */
export function seededHolidays(cities: readonly SeededCity[], today: DayNumber): HolidayRow[] {
  const years = [yearOf(today), yearOf(today) + 1];
  const countries = [...new Set(cities.map((city) => city.countryCode))];
  const national = countries.flatMap((countryCode) =>
    occurrences(NATIONAL_HOLIDAYS[countryCode] ?? [], years).map((holiday) => ({ countryCode, cityId: null, ...holiday })),
  );
  const local = cities.flatMap((city) =>
    occurrences(CITY_HOLIDAYS[city.slug] ?? [], years).map((holiday) => ({
      countryCode: city.countryCode,
      cityId: city.id,
      ...holiday,
    })),
  );
  return [...national, ...local];
}

/** The days each city is closed for a public holiday (its country's or its own), by city id. */
export function holidaysByCityId(cities: readonly SeededCity[], holidays: readonly HolidayRow[]): Map<number, Set<DayNumber>> {
  const byCity = new Map<number, Set<DayNumber>>();
  for (const city of cities) {
    const applies = (holiday: HolidayRow) =>
      holiday.cityId === city.id || (holiday.cityId === null && holiday.countryCode === city.countryCode);
    byCity.set(city.id, new Set(holidays.filter(applies).map((holiday) => holiday.date)));
  }
  return byCity;
}

function occurrences(holidays: readonly FixedHoliday[], years: readonly number[]): Array<{ date: DayNumber; name: string }> {
  return years.flatMap((year) =>
    holidays
      .filter((holiday) => (holiday.fromYear ?? year) <= year)
      .map((holiday) => {
        const [month, day] = holiday.monthDay.split('-').map(Number);
        return { date: dayNumberFor(year, month, day), name: holiday.name };
      }),
  );
}
