import type { DataSource } from 'typeorm';

export interface CityFixture {
  slug: string;
  lat: number;
  lng: number;
}

export interface HolidayFixture {
  city: string;
  date: string;
}

export interface VenueFixture {
  id: number;
  slug: string;
}

/** A slot of a venue on a date that nothing blocks: a booking request that should get a 201. */
export interface BookableSlot {
  venueSlug: string;
  slot: string;
  date: string;
  guests: number;
}

/** What the scenarios draw their parameters from, read once from the bench database. */
export interface Fixtures {
  cities: CityFixture[];
  categories: string[];
  addOns: string[];
  /** Dates within the seeded bookings' 60 days that are a holiday in no city: discovery does its full work. */
  workingDates: string[];
  /** A city closed by a public holiday on a date (city-wide or country-wide). */
  holidays: HolidayFixture[];
  /** Venues the detail scenario rotates through. */
  detailVenues: VenueFixture[];
  /** Venue ids whose free slots the booking scenario books; none of them is a detail venue. */
  bookingVenueIds: number[];
}

/** A venue's city is closed on `date` by its own holiday or its country's. */
const HOLIDAY_CLOSES_CITY = `(holiday.city_id = city.id OR (holiday.city_id IS NULL AND holiday.country_code = city.country_code))`;
/** Every 97th venue: spread over all cities, ~500 at medium and ~20 at demo. */
const DETAIL_VENUE = `venue.id % 97 = 0`;
/** Working dates are drawn from the days the seeded bookings cover (the next 59). */
const WORKING_DAYS_AHEAD = 59;
/** Holidays are drawn from the booking horizon. */
const HOLIDAY_DAYS_AHEAD = 300;

/** `days` after a `YYYY-MM-DD` date, in the same form. */
function daysAfter(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

// The fixtures are picked by the harness on its own entity-less DataSource (tables by name),
// independently of the API's repositories and entities under test, so a bug there cannot choose
// the data that hides it.
export async function loadFixtures(dataSource: DataSource): Promise<Fixtures> {
  const read = () => dataSource.createQueryBuilder();
  const today = (await read().select(`to_char(current_date, 'YYYY-MM-DD')`, 'today').fromDummy().getRawOne<{ today: string }>())!.today;
  const cities = await read().select('city.slug', 'slug').addSelect('city.lat', 'lat').addSelect('city.lng', 'lng').from('cities', 'city').orderBy('city.id').getRawMany<CityFixture>();
  const holidays = await read()
    .select('city.slug', 'city')
    .addSelect(`to_char(holiday.date, 'YYYY-MM-DD')`, 'date')
    .distinct(true)
    .from('public_holidays', 'holiday')
    .innerJoin('cities', 'city', HOLIDAY_CLOSES_CITY)
    .where('holiday.date BETWEEN current_date + 1 AND current_date + CAST(:days AS integer)', { days: HOLIDAY_DAYS_AHEAD })
    .orderBy('date')
    .addOrderBy('city')
    .getRawMany<HolidayFixture>();
  const closedDates = new Set(holidays.map((holiday) => holiday.date));
  const workingDates = Array.from({ length: WORKING_DAYS_AHEAD }, (_, index) => daysAfter(today, index + 1)).filter((date) => !closedDates.has(date));
  const activeVenues = () => read().from('venues', 'venue').where('venue.is_active').orderBy('venue.id');
  const slugs = async (table: string) => (await read().select('item.slug', 'slug').from(table, 'item').orderBy('item.id').getRawMany<{ slug: string }>()).map((row) => row.slug);
  const fixtures: Fixtures = {
    cities,
    categories: await slugs('categories'),
    addOns: await slugs('add_ons'),
    workingDates,
    holidays,
    detailVenues: await activeVenues().select('venue.id', 'id').addSelect('venue.slug', 'slug').andWhere(DETAIL_VENUE).getRawMany<VenueFixture>(),
    bookingVenueIds: (await activeVenues().select('venue.id', 'id').andWhere(`venue.id % 23 = 11 AND NOT (${DETAIL_VENUE})`).getRawMany<{ id: number }>()).map((row) => row.id),
  };
  for (const [name, list] of Object.entries(fixtures)) {
    if (list.length === 0) throw new Error(`the bench database has no ${name} to draw scenarios from; reseed it (npm run seed)`);
  }
  return fixtures;
}

/**
 * Up to `limit` free slots of `venueIds`, 90 to 300 days ahead (after the seeded bookings, within
 * the booking horizon), on no holiday or blackout, for the venue's smallest party.
 */
export function loadBookableSlots(dataSource: DataSource, venueIds: number[], limit: number): Promise<BookableSlot[]> {
  const statement = dataSource.createQueryBuilder();
  const unblocked = (table: string, alias: string, condition: string) => `NOT EXISTS ${statement.subQuery().select('1').from(table, alias).where(condition).getQuery()}`;
  // from() and join() take a table by name or a subquery: the set-returning function and the
  // unnested array are each the select list of a subquery.
  return statement
    .select('venue.slug', 'venueSlug')
    .addSelect('slot.code', 'slot')
    .addSelect(`to_char(day.date, 'YYYY-MM-DD')`, 'date')
    .addSelect('venue.min_capacity', 'guests')
    .from((days) => days.select('current_date + generate_series(90, 300)', 'date').fromDummy(), 'day')
    .innerJoin((picked) => picked.select('unnest(CAST(:venueIds AS integer[]))', 'id').fromDummy(), 'picked', 'true')
    .innerJoin('venues', 'venue', 'venue.id = picked.id')
    .innerJoin('cities', 'city', 'city.id = venue.city_id')
    .innerJoin('venue_slots', 'slot', 'slot.venue_id = venue.id AND slot.weekday = extract(dow FROM day.date)')
    .where(unblocked('venue_blackouts', 'blackout', 'blackout.venue_id = venue.id AND blackout.date = day.date'))
    .andWhere(unblocked('public_holidays', 'holiday', `holiday.date = day.date AND ${HOLIDAY_CLOSES_CITY}`))
    .andWhere(unblocked('bookings', 'booking', `booking.venue_id = venue.id AND booking.slot_id = slot.id AND booking.date = day.date AND booking.status = 'confirmed'`))
    .setParameter('venueIds', venueIds)
    .limit(limit)
    .getRawMany<BookableSlot>();
}
