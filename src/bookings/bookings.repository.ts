import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { blackoutSql, weekdaySql } from '../venue-domain/availability.sql';
import type { VenueRef } from '../venue-domain/venue-ref';
import type { BookingDto } from './dto/booking.dto';

/** The venue facts a booking request is checked against, read in one statement. */
export interface BookingVenue {
  id: number;
  cityId: number;
  countryCode: string;
  timezone: string;
  minCapacity: number;
  maxCapacity: number;
  currency: string;
  /** Today in the venue's time zone (YYYY-MM-DD), by the database clock all instances share. */
  today: string;
  /** The venue is blacked out on the requested date. */
  blackedOut: boolean;
  /** Those of the requested add-ons the venue offers, with its prices. */
  addOns: Array<{ id: number; slug: string; priceCents: number }>;
}

export interface NewBooking {
  venueId: number;
  userId: number;
  date: string;
  slot: string;
  guests: number;
  addOnIds: number[];
  totalPriceCents: number;
  idempotencyKey: string | undefined;
}

export type IdempotencyClaim =
  | { kind: 'claimed' }
  /** Another request with this key holds it right now. */
  | { kind: 'in-flight' }
  | { kind: 'recorded'; requestHash: string; body: BookingDto };

export type InsertOutcome =
  | { kind: 'created'; booking: BookingDto }
  /** The partial unique index refused a second confirmed booking of the slot on the date. */
  | { kind: 'slot-taken' }
  /** The slot stopped existing between the checks and the insert. */
  | { kind: 'slot-gone' }
  /** The key already created a booking whose idempotency record has been purged. */
  | { kind: 'key-already-used' };

export interface CancelOutcome {
  booking: BookingDto;
  cityId: number;
  /** This request turned a confirmed booking into a cancelled one (false: it already was). */
  cancelledNow: boolean;
  /** The booking's date is before today in the venue's time zone: it is left as it was. */
  past: boolean;
}

export interface BookingPage {
  total: number;
  bookings: BookingDto[];
}

/** Unique indexes whose violation is an expected answer, not a fault. */
const SLOT_TAKEN_INDEX = 'bookings_one_confirmed_per_slot_key';
const KEY_USED_INDEX = 'bookings_user_idempotency_key';

/** BookingDto as JSON, written once: creation, cancellation and the list all answer with it. */
function bookingJsonSql(booking: string, slot: string, venue: string): string {
  return `jsonb_build_object(
    'id', ${booking}.id,
    'venueId', ${booking}.venue_id,
    'date', to_char(${booking}.date, 'YYYY-MM-DD'),
    'slot', ${slot}.code,
    'guests', ${booking}.guests,
    'addOns', coalesce((SELECT jsonb_agg(add_on.slug ORDER BY add_on.slug) FROM add_ons add_on WHERE add_on.id = ANY (${booking}.add_on_ids)), '[]'),
    'totalPriceCents', ${booking}.total_price_cents,
    'currency', ${venue}.currency,
    'status', ${booking}.status)`;
}

function violatedUniqueIndex(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' ? driverError.constraint : undefined;
}

@Injectable()
export class BookingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction on one database session; a throw rolls everything back. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Claims (user, key) for this transaction, or says who has it. One statement:
   * - the transaction-scoped advisory lock on (user, hashtext(key)) is "in flight": when another
   *   transaction holds it, nothing is inserted and no row comes back;
   * - with the lock, INSERT … ON CONFLICT DO UPDATE returns the committed record even if it
   *   committed after this statement's snapshot was taken (a plain SELECT could miss it), or
   *   inserts this request's provisional row (no response yet), which rolls back with a failure.
   * The no-op update on a conflict only exists to make RETURNING return the existing row.
   */
  async claimIdempotencyKey(manager: EntityManager, userId: number, key: string, requestHash: string, ttlSeconds: number): Promise<IdempotencyClaim> {
    const [row]: Array<{ requestHash: string; body: BookingDto | null }> = await manager.query(
      `
      INSERT INTO idempotency_keys AS recorded (user_id, key, request_hash, expires_at)
      SELECT $1::int, $2::text, $3::text, now() + $4::int * interval '1 second'
      WHERE pg_try_advisory_xact_lock($1::int, hashtext($2::text))
      ON CONFLICT (user_id, key) DO UPDATE SET expires_at = recorded.expires_at
      RETURNING recorded.request_hash AS "requestHash", recorded.response_body AS body`,
      [userId, key, requestHash, ttlSeconds],
    );
    if (!row) return { kind: 'in-flight' };
    if (row.body === null) return { kind: 'claimed' };
    return { kind: 'recorded', requestHash: row.requestHash, body: row.body };
  }

  /** The active venue named by id or slug, with what a booking of `date` with `addOnSlugs` is checked against. */
  async findBookingVenue(manager: EntityManager, venue: VenueRef, date: string, addOnSlugs: string[]): Promise<BookingVenue | undefined> {
    const [row]: BookingVenue[] = await manager.query(
      `
      SELECT venue.id,
             venue.city_id AS "cityId",
             city.country_code AS "countryCode",
             city.timezone,
             venue.min_capacity AS "minCapacity",
             venue.max_capacity AS "maxCapacity",
             venue.currency,
             to_char((now() AT TIME ZONE city.timezone)::date, 'YYYY-MM-DD') AS today,
             ${blackoutSql('venue.id', '$3::date')} AS "blackedOut",
             coalesce((
               SELECT json_agg(json_build_object('id', add_on.id, 'slug', add_on.slug, 'priceCents', offer.price_cents) ORDER BY add_on.slug)
               FROM venue_add_ons offer
               JOIN add_ons add_on ON add_on.id = offer.add_on_id
               WHERE offer.venue_id = venue.id AND add_on.slug = ANY ($4::text[])
             ), '[]') AS "addOns"
      FROM venues venue
      JOIN cities city ON city.id = venue.city_id
      WHERE (venue.id = $1::int OR venue.slug = $2::text) AND venue.is_active`,
      ['id' in venue ? venue.id : null, 'slug' in venue ? venue.slug : null, date, addOnSlugs],
    );
    return row;
  }

  /**
   * Inserts the booking and, when it came with an Idempotency-Key, completes the key's record with
   * the response: one statement, so the two can only exist together. The partial unique index
   * bookings_one_confirmed_per_slot_key makes a second confirmed booking of the slot impossible
   * whatever the checks before it saw; its violation is the `slot-taken` outcome.
   */
  async insertBooking(manager: EntityManager, booking: NewBooking): Promise<InsertOutcome> {
    try {
      const [row]: Array<{ body: BookingDto }> = await manager.query(
        `
        WITH inserted AS (
          INSERT INTO bookings (venue_id, slot_id, user_id, date, guests, add_on_ids, total_price_cents, idempotency_key)
          SELECT slot.venue_id, slot.id, $2::int, $3::date, $5::int, $6::int[], $7::int, $8::text
          FROM venue_slots slot
          WHERE slot.venue_id = $1::int AND slot.weekday = ${weekdaySql('$3::date')} AND slot.code = $4::text
          RETURNING *
        ), response AS (
          SELECT ${bookingJsonSql('inserted', 'slot', 'venue')} AS body
          FROM inserted
          JOIN venue_slots slot ON slot.id = inserted.slot_id
          JOIN venues venue ON venue.id = inserted.venue_id
        ), recorded AS (
          UPDATE idempotency_keys
          SET response_body = (SELECT body FROM response)
          WHERE user_id = $2::int AND key = $8::text
        )
        SELECT body FROM response`,
        [booking.venueId, booking.userId, booking.date, booking.slot, booking.guests, booking.addOnIds, booking.totalPriceCents, booking.idempotencyKey ?? null],
      );
      return row ? { kind: 'created', booking: row.body } : { kind: 'slot-gone' };
    } catch (error) {
      const index = violatedUniqueIndex(error);
      if (index === SLOT_TAKEN_INDEX) return { kind: 'slot-taken' };
      if (index === KEY_USED_INDEX) return { kind: 'key-already-used' };
      throw error;
    }
  }

  /**
   * Cancels the user's booking unless its date has passed in the venue's time zone. One
   * statement; a concurrent cancel waits for the row lock and then finds nothing to change.
   * Undefined when the user has no booking with that id (someone else's included).
   */
  async cancelBooking(userId: number, bookingId: number): Promise<CancelOutcome | undefined> {
    const [row]: CancelOutcome[] = await this.dataSource.query(
      `
      WITH target AS (
        SELECT booking.id, venue.city_id, booking.date < (now() AT TIME ZONE city.timezone)::date AS past
        FROM bookings booking
        JOIN venues venue ON venue.id = booking.venue_id
        JOIN cities city ON city.id = venue.city_id
        WHERE booking.id = $1 AND booking.user_id = $2::int
      ), cancelled AS (
        UPDATE bookings booking SET status = 'cancelled'
        FROM target
        WHERE booking.id = target.id AND booking.status = 'confirmed' AND NOT target.past
        RETURNING booking.id
      )
      -- The snapshot still shows the status before this statement: a booking that is not past is
      -- cancelled now, whether this statement, an earlier or a concurrent one did it.
      SELECT ${bookingJsonSql('booking', 'slot', 'venue')}
               || CASE WHEN target.past THEN '{}'::jsonb ELSE '{"status": "cancelled"}'::jsonb END AS booking,
             target.city_id AS "cityId",
             EXISTS (SELECT 1 FROM cancelled) AS "cancelledNow",
             target.past
      FROM target
      JOIN bookings booking ON booking.id = target.id
      JOIN venue_slots slot ON slot.id = booking.slot_id
      JOIN venues venue ON venue.id = booking.venue_id`,
      [bookingId, userId],
    );
    return row;
  }

  /** A page of the user's bookings, latest date first, and how many there are in all. */
  async findUserBookings(userId: number, page: number, pageSize: number): Promise<BookingPage> {
    const [row]: BookingPage[] = await this.dataSource.query(
      `
      SELECT (SELECT count(*)::int FROM bookings WHERE user_id = $1::int) AS total,
             coalesce(jsonb_agg(listed.booking ORDER BY listed.day DESC, listed.starts_at DESC, listed.id DESC), '[]') AS bookings
      FROM (
        SELECT ${bookingJsonSql('booking', 'slot', 'venue')} AS booking, booking.date AS day, slot.starts_at, booking.id
        FROM bookings booking
        JOIN venue_slots slot ON slot.id = booking.slot_id
        JOIN venues venue ON venue.id = booking.venue_id
        WHERE booking.user_id = $1::int
        ORDER BY day DESC, slot.starts_at DESC, booking.id DESC
        LIMIT $2 OFFSET $3
      ) listed`,
      [userId, pageSize, (page - 1) * pageSize],
    );
    return row;
  }

  /** Deletes idempotency records past their expiry; returns how many. */
  async purgeExpiredIdempotencyKeys(): Promise<number> {
    const [, affected]: [unknown, number] = await this.dataSource.query('DELETE FROM idempotency_keys WHERE expires_at <= now()');
    return affected;
  }
}
