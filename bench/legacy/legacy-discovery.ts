/*
 * LEGACY REFERENCE of GET /v1/discovery/venues: the handler as the seed write-up
 * (../shared/seed/000_62b4fa34b40f8663.txt) describes the original, kept deliberately bad in
 * exactly its ways, so the bench can measure what the rewrite is worth:
 *   - configuration and reference tables read and expanded on every request;
 *   - every row of the city fetched, then capacity, category, price, instant-book, radius,
 *     add-on and availability filters applied in application code — the last two with per-venue
 *     queries in a loop;
 *   - a second, identical SELECT re-run only to get the rows in the requested order, matched to
 *     the filtered rows with a nested loop;
 *   - per-item queries (lazy loads) for each card's city, category, cover photo and add-ons;
 *   - five batch queries for the page's availability, a venue × slot × booking loop over them,
 *     and only then the holiday check — the same lookup once per item — which throws all of it
 *     away on a holiday;
 *   - a database session per helper, several per request;
 *   - each venue of the city logged three times, serialized in full.
 * It answers the same JSON as the API for the same parameters: the bench compares the two field
 * by field before timing. It shares no code with src/ (nor src/ with it), so that check compares
 * two independent implementations.
 */
import { BadRequestException } from '@nestjs/common';
import { COUNT_AHEAD_PAGES } from '../../src/discovery/discovery.repository';
import { logItem } from './item-log';
import { LegacyConfiguration, loadConfiguration } from './legacy-configuration';
import { LegacyDatabase, Row, Sql } from './legacy-database';

export type LegacyQuery = Record<string, string | string[] | undefined>;

const EARTH_RADIUS_KM = 6371.0088;

const ORDER_BY: Record<string, string> = {
  relevance: 'rating DESC NULLS LAST, review_count DESC, id',
  rating: 'rating DESC NULLS LAST, id',
  price_asc: 'base_price_cents, id',
  price_desc: 'base_price_cents DESC, id',
  capacity_desc: 'max_capacity DESC, id',
};

interface Position {
  lat: number;
  lng: number;
}

interface Filters {
  date?: string;
  guests?: number;
  minCapacity?: number;
  maxCapacity?: number;
  categoryIds: number[];
  addOnIds: number[];
  minPrice?: number;
  maxPrice?: number;
  instantBook?: boolean;
  position?: Position;
  radiusKm?: number;
  onlyAvailable: boolean;
}

export function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : [value].flat().flatMap((part) => part.split(',')).map((slug) => slug.trim()).filter(Boolean);
}

/** The original's truthiness: 0 and '' mean "no filter" (the API's DTO encodes the same rule). */
export function integer(value: string | string[] | undefined): number | undefined {
  return Number(first(value)) || undefined;
}

function decimal(value: string | string[] | undefined): number | undefined {
  const text = first(value);
  return text === undefined || text === '' ? undefined : Number(text);
}

function flag(value: string | string[] | undefined): boolean | undefined {
  const text = first(value);
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return undefined;
}

export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function distanceKm(venue: Row, from: Position): number {
  const radians = (degrees: number) => degrees * (Math.PI / 180);
  const a =
    Math.sin(radians(venue.lat - from.lat) / 2) ** 2 +
    Math.cos(radians(from.lat)) * Math.cos(radians(venue.lat)) * Math.sin(radians(venue.lng - from.lng) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** PostgreSQL's round(km::numeric, 1): the cast keeps 15 significant digits, and halves round away from zero. */
function roundedKm(km: number): number {
  const text = km.toPrecision(15);
  if (text.includes('e')) return 0;
  const [whole, fraction] = text.split('.');
  return (Number(whole) * 10 + Number(fraction[0]) + (Number(fraction[1]) >= 5 ? 1 : 0)) / 10;
}

/** The holiday closing `city` on `date`, a city's own before its country's; one query per call. */
async function holidayOf(sql: Sql, city: Row, date: string): Promise<{ date: string; name: string } | null> {
  const rows = await sql('SELECT * FROM public_holidays WHERE date = $1 AND (city_id = $2 OR (city_id IS NULL AND country_code = $3))', [
    date,
    city.id,
    city.country_code,
  ]);
  const holiday = rows.find((row) => row.city_id !== null) ?? rows[0];
  return holiday ? { date, name: holiday.name } : null;
}

export class LegacyDiscovery {
  constructor(private readonly db: LegacyDatabase) {}

  async search(query: LegacyQuery) {
    const config = await loadConfiguration(this.db);
    const city = query.city === undefined ? undefined : config.cities.find((candidate) => candidate.slug === first(query.city));
    if (query.city !== undefined && !city) throw new BadRequestException(`unknown city ${first(query.city)}`);
    const filters = this.filtersOf(query, config);
    const sort = first(query.sort) || 'relevance';
    const page = integer(query.page) ?? 1;
    const pageSize = integer(query.pageSize) ?? config.settings.discovery.default_page_size;

    const rows = await this.db.session((sql) => (city ? sql('SELECT * FROM venues WHERE city_id = $1', [city.id]) : sql('SELECT * FROM venues')));
    const matching = await this.filterInCode(rows, filters);
    const ordered = await this.reorder(matching, city, sort, filters.position);
    // The API's contract since issue 13: matches counted up to five pages past the page's start
    // (the legacy code has them all in memory anyway); a distance sort counts them all.
    const countLimit = sort === 'distance' ? Infinity : (page - 1) * pageSize + COUNT_AHEAD_PAGES * pageSize + 1;
    const total = Math.min(ordered.length, countLimit);
    const pageRows = ordered.slice((page - 1) * pageSize, page * pageSize);
    const cards = await this.cards(pageRows, filters.position);
    if (filters.date) await this.addAvailability(cards, pageRows, filters.date);
    const holiday = filters.date && city ? await this.db.session((sql) => holidayOf(sql, city, filters.date!)) : null;
    return {
      data: cards,
      meta: { page, pageSize, total, totalExact: total < countLimit, totalPages: Math.ceil(total / pageSize), sort, date: filters.date ?? null, holiday },
    };
  }

  private filtersOf(query: LegacyQuery, config: LegacyConfiguration): Filters {
    const ids = (slugs: string[], rows: Row[]) => slugs.map((slug) => rows.find((row) => row.slug === slug)?.id as number);
    const lat = decimal(query.lat);
    const lng = decimal(query.lng);
    return {
      date: first(query.date) || undefined,
      guests: integer(query.guests),
      minCapacity: integer(query.minCapacity),
      maxCapacity: integer(query.maxCapacity),
      categoryIds: ids(list(query.category), config.categories),
      addOnIds: ids(list(query.addOns), config.addOns),
      minPrice: integer(query.minPrice),
      maxPrice: integer(query.maxPrice),
      instantBook: flag(query.instantBook),
      position: lat !== undefined && lng !== undefined ? { lat, lng } : undefined,
      radiusKm: decimal(query.radiusKm),
      onlyAvailable: flag(query.onlyAvailable) === true,
    };
  }

  /** Every row of the city through every filter, one at a time. */
  private filterInCode(rows: Row[], filters: Filters): Promise<Row[]> {
    return this.db.session(async (sql) => {
      const kept: Row[] = [];
      for (const venue of rows) {
        logItem('discovery.venue.loaded', venue);
        const matches = await this.matches(sql, venue, filters);
        logItem('discovery.venue.filtered', { venue, filters, matches });
        if (matches) kept.push(venue);
        logItem(matches ? 'discovery.venue.kept' : 'discovery.venue.dropped', venue);
      }
      return kept;
    });
  }

  private async matches(sql: Sql, venue: Row, filters: Filters): Promise<boolean> {
    if (!venue.is_active) return false;
    if (filters.guests && !(venue.min_capacity <= filters.guests && venue.max_capacity >= filters.guests)) return false;
    if (filters.minCapacity && venue.max_capacity < filters.minCapacity) return false;
    if (filters.maxCapacity && venue.max_capacity > filters.maxCapacity) return false;
    if (filters.categoryIds.length > 0 && !filters.categoryIds.includes(venue.category_id)) return false;
    if (filters.minPrice && venue.base_price_cents < filters.minPrice) return false;
    if (filters.maxPrice && venue.base_price_cents > filters.maxPrice) return false;
    if (filters.instantBook !== undefined && venue.instant_book !== filters.instantBook) return false;
    if (filters.position && filters.radiusKm && distanceKm(venue, filters.position) > filters.radiusKm) return false;
    if (filters.addOnIds.length > 0) {
      const offered = await sql('SELECT add_on_id FROM venue_add_ons WHERE venue_id = $1', [venue.id]);
      if (!filters.addOnIds.every((id) => offered.some((offer) => offer.add_on_id === id))) return false;
    }
    if (filters.onlyAvailable && filters.date && !(await this.hasFreeSlot(sql, venue, filters.date))) return false;
    return true;
  }

  private async hasFreeSlot(sql: Sql, venue: Row, date: string): Promise<boolean> {
    const [city] = await sql('SELECT * FROM cities WHERE id = $1', [venue.city_id]);
    if (await holidayOf(sql, city, date)) return false;
    const blackouts = await sql('SELECT * FROM venue_blackouts WHERE venue_id = $1 AND date = $2', [venue.id, date]);
    if (blackouts.length > 0) return false;
    const slots = await sql('SELECT * FROM venue_slots WHERE venue_id = $1 AND weekday = $2', [venue.id, weekdayOf(date)]);
    for (const slot of slots) {
      const bookings = await sql(`SELECT * FROM bookings WHERE venue_id = $1 AND slot_id = $2 AND date = $3 AND status = 'confirmed'`, [venue.id, slot.id, date]);
      if (bookings.length === 0) return true;
    }
    return false;
  }

  /** The original re-ran its SELECT with an ORDER BY instead of sorting the rows it had. */
  private async reorder(matching: Row[], city: Row | undefined, sort: string, position: Position | undefined): Promise<Row[]> {
    if (sort === 'distance') {
      if (!position) throw new BadRequestException('sort=distance needs lat and lng');
      return [...matching].sort((a, b) => roundedKm(distanceKm(a, position)) - roundedKm(distanceKm(b, position)) || a.id - b.id);
    }
    const orderBy = ORDER_BY[sort];
    if (!orderBy) throw new BadRequestException(`unknown sort ${sort}`);
    const ordered = await this.db.session((sql) =>
      city ? sql(`SELECT * FROM venues WHERE city_id = $1 ORDER BY ${orderBy}`, [city.id]) : sql(`SELECT * FROM venues ORDER BY ${orderBy}`),
    );
    return ordered.filter((row) => matching.some((kept) => kept.id === row.id));
  }

  private cards(pageRows: Row[], position: Position | undefined) {
    return this.db.session(async (sql) => {
      const cards = [];
      for (const venue of pageRows) {
        const [city] = await sql('SELECT * FROM cities WHERE id = $1', [venue.city_id]);
        const [category] = await sql('SELECT * FROM categories WHERE id = $1', [venue.category_id]);
        const photos = await sql('SELECT * FROM venue_photos WHERE venue_id = $1 ORDER BY position', [venue.id]);
        const addOns = await sql(
          'SELECT add_on.slug FROM venue_add_ons offered JOIN add_ons add_on ON add_on.id = offered.add_on_id WHERE offered.venue_id = $1 ORDER BY add_on.slug',
          [venue.id],
        );
        cards.push({
          id: venue.id,
          slug: venue.slug,
          name: venue.name,
          city: { slug: city.slug, name: city.name },
          category: { slug: category.slug, name: category.name },
          capacity: { min: venue.min_capacity, max: venue.max_capacity },
          price: { amountCents: venue.base_price_cents, currency: venue.currency },
          rating: venue.rating === null ? null : Number(venue.rating),
          reviewCount: venue.review_count,
          instantBook: venue.instant_book,
          coverPhotoUrl: photos.length > 0 ? photos[0].url : null,
          addOns: addOns.map((addOn) => addOn.slug),
          location: { lat: venue.lat, lng: venue.lng },
          distanceKm: position ? roundedKm(distanceKm(venue, position)) : null,
          availability: null as unknown,
        });
      }
      return cards;
    });
  }

  private async addAvailability(cards: Array<{ availability: unknown }>, pageRows: Row[], date: string): Promise<void> {
    const ids = pageRows.map((venue) => venue.id);
    const batch = await this.db.session(async (sql) => ({
      slots: await sql('SELECT * FROM venue_slots WHERE venue_id = ANY($1) AND weekday = $2 ORDER BY starts_at, code', [ids, weekdayOf(date)]),
      bookings: await sql(`SELECT * FROM bookings WHERE venue_id = ANY($1) AND date = $2 AND status = 'confirmed'`, [ids, date]),
      blackouts: await sql('SELECT * FROM venue_blackouts WHERE venue_id = ANY($1) AND date = $2', [ids, date]),
      overrides: await sql('SELECT * FROM venue_price_overrides WHERE venue_id = ANY($1) AND date = $2', [ids, date]),
      prices: await sql('SELECT id, base_price_cents FROM venues WHERE id = ANY($1)', [ids]),
    }));
    const free = pageRows.map((venue) => {
      const slots = [];
      for (const slot of batch.slots) {
        if (slot.venue_id !== venue.id) continue;
        const booked = batch.bookings.some((booking) => booking.venue_id === venue.id && booking.slot_id === slot.id);
        const blocked = batch.blackouts.some((blackout) => blackout.venue_id === venue.id);
        if (booked || blocked) continue;
        const override = batch.overrides.find((candidate) => candidate.venue_id === venue.id);
        const base = batch.prices.find((candidate) => candidate.id === venue.id)!.base_price_cents;
        slots.push({ code: slot.code, startsAt: slot.starts_at.slice(0, 5), endsAt: slot.ends_at.slice(0, 5), priceCents: override?.price_cents ?? slot.price_cents ?? base });
      }
      return slots;
    });
    // Only now, after the batch work, does the original ask whether the date is a holiday.
    const holidays = await this.db.session(async (sql) => {
      const closed = [];
      for (const venue of pageRows) {
        const [city] = await sql('SELECT * FROM cities WHERE id = $1', [venue.city_id]);
        closed.push((await holidayOf(sql, city, date)) !== null);
      }
      return closed;
    });
    cards.forEach((card, index) => {
      card.availability = { date, isHoliday: holidays[index], slots: holidays[index] ? [] : free[index] };
    });
  }
}
