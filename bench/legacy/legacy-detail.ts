/*
 * LEGACY REFERENCE of GET /v1/venues/:idOrSlug (Bearer): the detail handler as the seed
 * write-up describes the original ("30–40 queries … three N+1 loops, five separate database
 * sessions, and a function called N times with identical parameters"), kept deliberately bad:
 *   - five sessions: the user, the configuration, the venue, the availability, the viewer, each
 *     opened by its own helper;
 *   - the user row and the configuration loaded and expanded on every request;
 *   - lazy loads of the venue's city and host, and N+1 loops over its add-ons (the add-on of each
 *     offer), its latest reviews (the author of each) and the user's bookings (the slot of each);
 *   - the rating histogram counted in application code from every review's rating;
 *   - today's date asked of the database again although the venue query could have carried it;
 *   - availability day by day, four queries a day, plus the city's whole holiday list fetched
 *     once per day with the same parameters;
 *   - a log write per day and per slot, each serializing the whole object.
 * It answers the same JSON as the API: the bench compares the two field by field before timing.
 * Never imported by src/.
 */
import { NotFoundException, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { first, integer, LegacyQuery, weekdayOf } from './legacy-discovery';
import { logItem } from './item-log';
import { loadConfiguration } from './legacy-configuration';
import { LegacyDatabase, Row, Sql } from './legacy-database';

const DEFAULT_DAYS = 7;
const DAY_MS = 86_400_000;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(date) + days * DAY_MS).toISOString().slice(0, 10);
}

export class LegacyDetail {
  constructor(
    private readonly db: LegacyDatabase,
    private readonly jwt: JwtService,
    private readonly issuer: string,
  ) {}

  async detail(idOrSlug: string, query: LegacyQuery, authorization: string | undefined) {
    const user = await this.authenticate(authorization);
    const config = await loadConfiguration(this.db);
    const column = /^\d+$/.test(idOrSlug) ? 'id' : 'slug';
    const loaded = await this.db.session(async (sql) => {
      const [venue] = await sql(`SELECT * FROM venues WHERE ${column} = $1 AND is_active`, [column === 'id' ? Number(idOrSlug) : idOrSlug]);
      if (!venue) return undefined;
      const [city] = await sql('SELECT * FROM cities WHERE id = $1', [venue.city_id]);
      const [host] = await sql('SELECT * FROM users WHERE id = $1', [venue.host_id]);
      const photos = await sql('SELECT * FROM venue_photos WHERE venue_id = $1 ORDER BY position', [venue.id]);
      const addOns = [];
      const offers = await sql('SELECT offer.* FROM venue_add_ons offer JOIN add_ons add_on ON add_on.id = offer.add_on_id WHERE offer.venue_id = $1 ORDER BY add_on.slug', [venue.id]);
      for (const offer of offers) {
        const [addOn] = await sql('SELECT * FROM add_ons WHERE id = $1', [offer.add_on_id]);
        addOns.push({ slug: addOn.slug, name: addOn.name, priceCents: offer.price_cents });
      }
      const latest = [];
      for (const review of await sql('SELECT * FROM reviews WHERE venue_id = $1 ORDER BY created_at DESC, id DESC LIMIT 3', [venue.id])) {
        const [author] = await sql('SELECT * FROM users WHERE id = $1', [review.user_id]);
        latest.push({ rating: review.rating, body: review.body, author: { name: author.name }, createdAt: (review.created_at as Date).toISOString() });
      }
      const histogram: Record<string, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
      for (const review of await sql('SELECT rating FROM reviews WHERE venue_id = $1', [venue.id])) histogram[review.rating] += 1;
      return { venue, city, host, photos, addOns, latest, histogram };
    });
    if (!loaded) throw new NotFoundException(`No active venue has the id or slug '${idOrSlug}'`);
    const { venue, city, host, photos, addOns, latest, histogram } = loaded;
    const category = config.categories.find((candidate) => candidate.id === venue.category_id)!;
    const { today, availability } = await this.db.session((sql) => this.availability(sql, venue, city, query));
    const viewer = await this.db.session((sql) => this.viewer(sql, user, venue, today));
    return {
      id: venue.id,
      slug: venue.slug,
      name: venue.name,
      city: { slug: city.slug, name: city.name, timezone: city.timezone },
      category: { slug: category.slug, name: category.name },
      capacity: { min: venue.min_capacity, max: venue.max_capacity },
      price: { amountCents: venue.base_price_cents, currency: venue.currency },
      rating: venue.rating === null ? null : Number(venue.rating),
      reviewCount: venue.review_count,
      instantBook: venue.instant_book,
      coverPhotoUrl: photos.length > 0 ? photos[0].url : null,
      location: { lat: venue.lat, lng: venue.lng },
      distanceKm: null,
      description: venue.description,
      address: venue.address,
      host: { id: host.id, name: host.name },
      photos: photos.map((photo) => ({ url: photo.url, caption: photo.caption })),
      addOns,
      reviews: { latest, histogram },
      availability,
      viewer,
    };
  }

  private async authenticate(authorization: string | undefined): Promise<Row> {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
    if (!token) throw new UnauthorizedException();
    let subject: string;
    try {
      subject = this.jwt.verify<{ sub: string }>(token, { algorithms: ['HS256'], issuer: this.issuer }).sub;
    } catch {
      throw new UnauthorizedException();
    }
    const [user] = await this.db.session((sql) => sql('SELECT * FROM users WHERE id = $1', [Number(subject)]));
    if (!user) throw new UnauthorizedException();
    return user;
  }

  /** The city's holidays, all of them, every time it is asked. */
  private cityHolidays(sql: Sql, city: Row): Promise<Row[]> {
    return sql(`SELECT *, to_char(date, 'YYYY-MM-DD') AS day FROM public_holidays WHERE city_id = $1 OR (city_id IS NULL AND country_code = $2)`, [city.id, city.country_code]);
  }

  private async availability(sql: Sql, venue: Row, city: Row, query: LegacyQuery) {
    const [{ today }] = await sql(`SELECT to_char((now() AT TIME ZONE $1)::date, 'YYYY-MM-DD') AS today`, [city.timezone]);
    const from = first(query.from) || today;
    const days = integer(query.days) ?? DEFAULT_DAYS;
    const availability = [];
    for (let offset = 0; offset < days; offset += 1) {
      const date = addDays(from, offset);
      const holidays = (await this.cityHolidays(sql, city)).filter((holiday) => holiday.day === date);
      const holiday = holidays.find((candidate) => candidate.city_id !== null) ?? holidays[0];
      const slots = await sql('SELECT * FROM venue_slots WHERE venue_id = $1 AND weekday = $2 ORDER BY starts_at, code', [venue.id, weekdayOf(date)]);
      const bookings = await sql(`SELECT * FROM bookings WHERE venue_id = $1 AND date = $2 AND status = 'confirmed'`, [venue.id, date]);
      const blackouts = await sql('SELECT * FROM venue_blackouts WHERE venue_id = $1 AND date = $2', [venue.id, date]);
      const [override] = await sql('SELECT * FROM venue_price_overrides WHERE venue_id = $1 AND date = $2', [venue.id, date]);
      const blackout = blackouts.length > 0 && slots.length > 0;
      const daySlots = [];
      for (const slot of slots) {
        const status = bookings.some((booking) => booking.slot_id === slot.id) ? 'booked' : 'free';
        const priced = { code: slot.code, startsAt: slot.starts_at.slice(0, 5), endsAt: slot.ends_at.slice(0, 5), priceCents: override?.price_cents ?? slot.price_cents ?? venue.base_price_cents, status };
        logItem('detail.slot', { venue, slot, priced });
        daySlots.push(priced);
      }
      const day = { date, isHoliday: holiday !== undefined, holidayName: holiday?.name ?? null, blackout, slots: holiday || blackout ? [] : daySlots };
      logItem('detail.day', { venue, day });
      availability.push(day);
    }
    return { today: today as string, availability };
  }

  private async viewer(sql: Sql, user: Row, venue: Row, today: string) {
    const favorites = await sql('SELECT * FROM favorites WHERE user_id = $1 AND venue_id = $2', [user.id, venue.id]);
    const upcoming = [];
    const bookings = await sql(`SELECT *, to_char(date, 'YYYY-MM-DD') AS day FROM bookings WHERE user_id = $1 AND venue_id = $2 AND status = 'confirmed' AND date >= $3::date`, [
      user.id,
      venue.id,
      today,
    ]);
    for (const booking of bookings) {
      const [slot] = await sql('SELECT * FROM venue_slots WHERE id = $1', [booking.slot_id]);
      upcoming.push({ booking, slot });
    }
    upcoming.sort((a, b) => (a.booking.day < b.booking.day ? -1 : a.booking.day > b.booking.day ? 1 : 0) || (a.slot.starts_at < b.slot.starts_at ? -1 : a.slot.starts_at > b.slot.starts_at ? 1 : 0) || Number(a.booking.id) - Number(b.booking.id));
    return {
      isFavorite: favorites.length > 0,
      upcomingBookings: upcoming.map(({ booking, slot }) => ({ id: Number(booking.id), date: booking.day, slot: slot.code, status: booking.status })),
    };
  }
}
