import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, InsertQueryBuilder, ObjectLiteral, QueryFailedError, Repository, SelectQueryBuilder } from 'typeorm';
import { GenerateSql } from '../common/generate-sql.decorator';
import { ReusableStatement } from '../database/reusable-statement';
import { UnitOfWork } from '../database/unit-of-work';
import { AddOn } from '../reference/entities/add-on.entity';
import { blackoutSql, weekdaySql } from '../venue-domain/availability.sql';
import { Booking } from '../venue-domain/entities/booking.entity';
import { VenueAddOn } from '../venue-domain/entities/venue-add-on.entity';
import { VenueSlot } from '../venue-domain/entities/venue-slot.entity';
import { Venue } from '../venue-domain/entities/venue.entity';
import type { VenueRef } from '../venue-domain/venue-ref';
import type { BookingDto } from './dto/booking.dto';
import { IdempotencyKey } from './entities/idempotency-key.entity';

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

/**
 * BookingDto as JSON, written once: creation, cancellation and the list all answer with it. The
 * aliases name the outer query's bookings, venue_slots and venues rows, referenced by column name
 * (TypeORM maps property names only for the aliases a builder declares); `qb` builds the add-ons
 * subquery. jsonb, not json: its key order is the one every response has always had.
 */
function bookingJsonSql(qb: SelectQueryBuilder<ObjectLiteral>, booking: string, slot: string, venue: string): string {
  const addOnSlugs = qb
    .subQuery()
    .select('jsonb_agg(add_on.slug ORDER BY add_on.slug)')
    .from(AddOn, 'add_on')
    .where(`add_on.id = ANY (${booking}.add_on_ids)`);
  return `jsonb_build_object(
    'id', ${booking}.id,
    'venueId', ${booking}.venue_id,
    'date', to_char(${booking}.date, 'YYYY-MM-DD'),
    'slot', ${slot}.code,
    'guests', ${booking}.guests,
    'addOns', coalesce(${addOnSlugs.getQuery()}, '[]'),
    'totalPriceCents', ${booking}.total_price_cents,
    'currency', ${venue}.currency,
    'status', ${booking}.status)`;
}

/** The venue facts a booking is checked against; the blackout and the offered add-ons are correlated subqueries. */
function bookingVenueStatement(venues: Repository<Venue>): SelectQueryBuilder<Venue> {
  const qb = venues.createQueryBuilder('venue').innerJoin('venue.city', 'city');
  const offeredAddOns = qb
    .subQuery()
    .select(`json_agg(json_build_object('id', addOn.id, 'slug', addOn.slug, 'priceCents', offer.priceCents) ORDER BY addOn.slug)`)
    .from(VenueAddOn, 'offer')
    .innerJoin('offer.addOn', 'addOn')
    .where('offer.venueId = venue.id')
    .andWhere('addOn.slug = ANY (:addOnSlugs)');
  return qb
    .select('venue.id', 'id')
    .addSelect('venue.cityId', 'cityId')
    .addSelect('city.countryCode', 'countryCode')
    .addSelect('city.timezone', 'timezone')
    .addSelect('venue.minCapacity', 'minCapacity')
    .addSelect('venue.maxCapacity', 'maxCapacity')
    .addSelect('venue.currency', 'currency')
    .addSelect(`to_char((now() AT TIME ZONE city.timezone)::date, 'YYYY-MM-DD')`, 'today')
    // Not `date`: TypeORM would also take the `::date` cast above for that parameter.
    .addSelect(blackoutSql(qb, 'venue.id', ':bookingDate'), 'blackedOut')
    .addSelect(`coalesce(${offeredAddOns.getQuery()}, '[]')`, 'addOns')
    .where('(venue.id = :venueId OR venue.slug = :venueSlug)')
    .andWhere('venue.isActive');
}

/** The booking inserted, its response, and the idempotency key completed with it (see insertBooking). */
function insertBookingStatement(manager: EntityManager): SelectQueryBuilder<ObjectLiteral> {
  const inserted = manager
    .createQueryBuilder()
    .insert()
    .into(Booking, ['venueId', 'slotId', 'userId', 'date', 'guests', 'addOnIds', 'totalPriceCents', 'idempotencyKey'])
    // One selection, in the table's column order: INSERT … SELECT is positional.
    .valuesFromSelect((slots) =>
      slots
        .select(`slot.venueId, slot.id, :userId::int, :bookingDate::date, :guests::int, :addOnIds::int[], :totalPriceCents::int, :idempotencyKey::text`)
        .from(VenueSlot, 'slot')
        .where(`slot.venueId = :venueId::int AND slot.weekday = ${weekdaySql(':bookingDate::date')} AND slot.code = :slotCode::text`),
    )
    .returning('*');
  const response = manager.createQueryBuilder();
  response
    .select(bookingJsonSql(response, 'inserted', 'slot', 'venue'), 'body')
    .from('inserted', 'inserted')
    .innerJoin(VenueSlot, 'slot', 'slot.id = inserted.slot_id')
    .innerJoin(Venue, 'venue', 'venue.id = inserted.venue_id');
  const recorded = manager
    .createQueryBuilder()
    .update(IdempotencyKey)
    .set({ responseBody: () => '(SELECT response.body FROM response)' })
    .where('user_id = :userId::int AND key = :idempotencyKey::text');
  return manager
    .createQueryBuilder()
    .addCommonTableExpression(inserted, 'inserted')
    .addCommonTableExpression(response, 'response')
    .addCommonTableExpression(recorded, 'recorded')
    .select('response.body', 'body')
    .from('response', 'response');
}

/** Claims (:userId, :key) under the advisory lock, or returns the record already there (see claimIdempotencyKey). */
function idempotencyKeyClaimStatement(manager: EntityManager): InsertQueryBuilder<IdempotencyKey> {
  return (
    manager
      .createQueryBuilder()
      .insert()
      .into(IdempotencyKey, ['userId', 'key', 'requestHash', 'expiresAt'])
      // One selection: INSERT … SELECT is positional (the table's order: user_id, key, request_hash, expires_at).
      .valuesFromSelect((claim) =>
        claim
          .select(`:userId::int, :key::text, :requestHash::text, now() + :ttlSeconds::int * interval '1 second'`)
          .fromDummy()
          .where('pg_try_advisory_xact_lock(:userId::int, hashtext(:key::text))'),
      )
      // An update only so that RETURNING returns the row already there: user_id is part of the
      // conflict's key, so its EXCLUDED value is the row's own and the update changes nothing.
      .orUpdate(['user_id'], ['user_id', 'key'])
      .returning('request_hash AS "requestHash", response_body AS body')
  );
}

/** The cancellation and the booking as it is afterwards (see cancelBooking). */
function cancelBookingStatement(manager: EntityManager): SelectQueryBuilder<ObjectLiteral> {
  const target = manager
    .createQueryBuilder()
    .select('booking.id', 'id')
    .addSelect('venue.cityId', 'city_id')
    .addSelect('booking.date < (now() AT TIME ZONE city.timezone)::date', 'past')
    .from(Booking, 'booking')
    .innerJoin('booking.venue', 'venue')
    .innerJoin('venue.city', 'city')
    .where('booking.id = :bookingId AND booking.userId = :userId');
  // target holds one row at most (booking.id is the key): its id stands in for UPDATE … FROM target.
  const cancelled = manager
    .createQueryBuilder()
    .update(Booking)
    .set({ status: 'cancelled' })
    .where(`id = (SELECT target.id FROM target WHERE NOT target.past) AND status = 'confirmed'`)
    .returning('id');
  const statement = manager.createQueryBuilder();
  return (
    statement
      .addCommonTableExpression(target, 'target')
      .addCommonTableExpression(cancelled, 'cancelled')
      // The snapshot still shows the status before this statement: a booking that is not past is
      // cancelled now, whether this statement, an earlier or a concurrent one did it.
      .select(`${bookingJsonSql(statement, 'booking', 'slot', 'venue')} || CASE WHEN target.past THEN '{}'::jsonb ELSE '{"status": "cancelled"}'::jsonb END`, 'booking')
      .addSelect('target.city_id', 'cityId')
      .addSelect('EXISTS (SELECT 1 FROM cancelled)', 'cancelledNow')
      .addSelect('target.past', 'past')
      .from('target', 'target')
      .innerJoin(Booking, 'booking', 'booking.id = target.id')
      .innerJoin('booking.slot', 'slot')
      .innerJoin('booking.venue', 'venue')
  );
}

function violatedUniqueIndex(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' ? driverError.constraint : undefined;
}

/**
 * Every statement runs on the unit of work's open session (the booking's transaction), or on a
 * connection of its own outside one.
 */
@Injectable()
export class BookingsRepository {
  private readonly bookingVenue: ReusableStatement;
  private readonly keyClaim: ReusableStatement;
  private readonly insertion: ReusableStatement;
  private readonly cancellation: ReusableStatement;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @InjectRepository(Venue) venues: Repository<Venue>,
  ) {
    this.bookingVenue = new ReusableStatement(unitOfWork, () => bookingVenueStatement(venues));
    this.keyClaim = new ReusableStatement(unitOfWork, () => idempotencyKeyClaimStatement(venues.manager));
    this.insertion = new ReusableStatement(unitOfWork, () => insertBookingStatement(venues.manager));
    this.cancellation = new ReusableStatement(unitOfWork, () => cancelBookingStatement(venues.manager));
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
  @GenerateSql({ name: 'first use of a key', params: [7, '8e03978e-40d5-43e8-bc93-6894a57f9324', 'a'.repeat(64), 86400], rows: [[{ requestHash: 'a'.repeat(64), body: null }]] })
  async claimIdempotencyKey(userId: number, key: string, requestHash: string, ttlSeconds: number): Promise<IdempotencyClaim> {
    const row = await this.keyClaim.first<{ requestHash: string; body: BookingDto | null }>({ userId, key, requestHash, ttlSeconds });
    if (!row) return { kind: 'in-flight' };
    if (row.body === null) return { kind: 'claimed' };
    return { kind: 'recorded', requestHash: row.requestHash, body: row.body };
  }

  /**
   * The active venue named by id or slug, with what a booking of `date` with `addOnSlugs` is
   * checked against: the blackout and the offered add-ons are correlated subqueries on the venue.
   */
  @GenerateSql({ name: 'by slug, two add-ons', params: [{ slug: 'sky-terrace' }, '2026-12-18', ['catering', 'parking']] })
  findBookingVenue(venue: VenueRef, date: string, addOnSlugs: string[]): Promise<BookingVenue | undefined> {
    return this.bookingVenue.first<BookingVenue>({
      venueId: 'id' in venue ? venue.id : null,
      venueSlug: 'slug' in venue ? venue.slug : null,
      bookingDate: date,
      addOnSlugs,
    });
  }

  /**
   * Inserts the booking and, when it came with an Idempotency-Key, completes the key's record with
   * the response: one statement, so the two can only exist together. The partial unique index
   * bookings_one_confirmed_per_slot_key makes a second confirmed booking of the slot impossible
   * whatever the checks before it saw; its violation is the `slot-taken` outcome.
   */
  @GenerateSql({
    name: 'with an Idempotency-Key',
    params: [{ venueId: 17, userId: 7, date: '2026-12-18', slot: 'evening', guests: 40, addOnIds: [1, 3], totalPriceCents: 23500, idempotencyKey: '8e03978e-40d5-43e8-bc93-6894a57f9324' }],
  })
  async insertBooking(booking: NewBooking): Promise<InsertOutcome> {
    try {
      const { slot: slotCode, date: bookingDate, idempotencyKey = null, ...values } = booking;
      // A parameter named like the type it is cast to (:date::date) would be read twice by the builder's binding.
      const row = await this.insertion.first<{ body: BookingDto }>({ ...values, bookingDate, slotCode, idempotencyKey });
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
  @GenerateSql({ name: 'own booking', params: [7, 4711] })
  async cancelBooking(userId: number, bookingId: number): Promise<CancelOutcome | undefined> {
    return this.cancellation.first<CancelOutcome>({ bookingId, userId });
  }

  /** A page of the user's bookings, latest date first, and how many there are in all. */
  @GenerateSql({ name: 'second page of 20', params: [7, 2, 20] })
  async findUserBookings(userId: number, page: number, pageSize: number): Promise<BookingPage> {
    const list = this.unitOfWork.manager.createQueryBuilder();
    const total = list.subQuery().select('count(*)::int').from(Booking, 'booking').where('booking.userId = :userId');
    const row = await list
      .select(total.getQuery(), 'total')
      .addSelect(`coalesce(jsonb_agg(listed.booking ORDER BY listed.day DESC, listed.starts_at DESC, listed.id DESC), '[]')`, 'bookings')
      .from(
        (listed) =>
          listed
            .select(bookingJsonSql(listed, 'booking', 'slot', 'venue'), 'booking')
            .addSelect('booking.date', 'day')
            .addSelect('slot.startsAt', 'starts_at')
            .addSelect('booking.id', 'id')
            .from(Booking, 'booking')
            .innerJoin('booking.slot', 'slot')
            .innerJoin('booking.venue', 'venue')
            .where('booking.userId = :userId')
            .orderBy('day', 'DESC')
            .addOrderBy('slot.startsAt', 'DESC')
            .addOrderBy('booking.id', 'DESC')
            .limit(pageSize)
            .offset((page - 1) * pageSize),
        'listed',
      )
      .setParameters({ userId })
      .getRawOne<BookingPage>();
    return row!;
  }

  /** Deletes idempotency records past their expiry; returns how many. */
  @GenerateSql({ name: 'expired keys', params: [] })
  async purgeExpiredIdempotencyKeys(): Promise<number> {
    const { affected } = await this.unitOfWork.manager.createQueryBuilder().delete().from(IdempotencyKey).where('expires_at <= now()').execute();
    return affected ?? 0;
  }
}
