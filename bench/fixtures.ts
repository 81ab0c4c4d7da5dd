import type { Client } from 'pg';

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

// Raw: the fixtures are picked by the harness on its own bare pg client, independently of the API's
// repositories and DataSource under test, so a bug there cannot choose the data that hides it.
async function column<T>(client: Client, sql: string, values: unknown[] = []): Promise<T[]> {
  const { rows } = await client.query(sql, values);
  return rows.map((row) => Object.values(row)[0] as T);
}

export async function loadFixtures(client: Client): Promise<Fixtures> {
  const cities = (await client.query<CityFixture>('SELECT slug, lat, lng FROM cities ORDER BY id')).rows;
  const workingDates = await column<string>(
    client,
    `SELECT to_char(day, 'YYYY-MM-DD') FROM generate_series(current_date + 1, current_date + 59, interval '1 day') AS day
     WHERE NOT EXISTS (SELECT 1 FROM public_holidays holiday JOIN cities city ON ${HOLIDAY_CLOSES_CITY} WHERE holiday.date = day::date)
     ORDER BY day`,
  );
  const holidays = (
    await client.query<HolidayFixture>(
      `SELECT DISTINCT city.slug AS city, to_char(holiday.date, 'YYYY-MM-DD') AS date
       FROM public_holidays holiday JOIN cities city ON ${HOLIDAY_CLOSES_CITY}
       WHERE holiday.date BETWEEN current_date + 1 AND current_date + 300
       ORDER BY date, city`,
    )
  ).rows;
  const detailVenues = (await client.query<VenueFixture>(`SELECT id, slug FROM venues venue WHERE venue.is_active AND ${DETAIL_VENUE} ORDER BY id`)).rows;
  const bookingVenueIds = await column<number>(client, `SELECT id FROM venues venue WHERE venue.is_active AND venue.id % 23 = 11 AND NOT (${DETAIL_VENUE}) ORDER BY id`);
  const fixtures: Fixtures = {
    cities,
    categories: await column<string>(client, 'SELECT slug FROM categories ORDER BY id'),
    addOns: await column<string>(client, 'SELECT slug FROM add_ons ORDER BY id'),
    workingDates,
    holidays,
    detailVenues,
    bookingVenueIds,
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
export async function loadBookableSlots(client: Client, venueIds: number[], limit: number): Promise<BookableSlot[]> {
  const { rows } = await client.query<BookableSlot>(
    `SELECT venue.slug AS "venueSlug", slot.code AS slot, to_char(day.date, 'YYYY-MM-DD') AS date, venue.min_capacity AS guests
     FROM generate_series(90, 300) AS ahead(days)
     CROSS JOIN LATERAL (SELECT current_date + ahead.days AS date) AS day
     CROSS JOIN unnest($1::int[]) AS picked(id)
     JOIN venues venue ON venue.id = picked.id
     JOIN cities city ON city.id = venue.city_id
     JOIN venue_slots slot ON slot.venue_id = venue.id AND slot.weekday = extract(dow FROM day.date)
     WHERE NOT EXISTS (SELECT 1 FROM venue_blackouts blackout WHERE blackout.venue_id = venue.id AND blackout.date = day.date)
       AND NOT EXISTS (SELECT 1 FROM public_holidays holiday WHERE holiday.date = day.date AND ${HOLIDAY_CLOSES_CITY})
       AND NOT EXISTS (SELECT 1 FROM bookings booking
                       WHERE booking.venue_id = venue.id AND booking.slot_id = slot.id AND booking.date = day.date AND booking.status = 'confirmed')
     LIMIT $2`,
    [venueIds, limit],
  );
  return rows;
}
