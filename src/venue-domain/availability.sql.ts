import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Booking } from './entities/booking.entity';
import { VenueBlackout } from './entities/venue-blackout.entity';
import { VenueSlot } from './entities/venue-slot.entity';

/**
 * What "booked" and "blocked" mean, written once: the availability listing, the discovery
 * onlyAvailable filter and the booking checks compose these conditions, so they cannot disagree.
 * Each is a correlated EXISTS subquery built on the caller's query builder `qb`. `date` is an SQL
 * expression of type date (a column, or a cast named parameter such as `:onDate::date`; not
 * `:date::date`: TypeORM takes the `:date` of the cast for the parameter too and sends `$1:$1`);
 * references to the outer query (`slot`, `venueId`) are by column name, because TypeORM maps
 * property names only for the aliases a builder declares itself.
 */
type Builder = SelectQueryBuilder<ObjectLiteral>;

/** A confirmed booking holds slot `slot` (an alias of venue_slots in the outer query) on `date`. */
export function slotBookedSql(qb: Builder, slot: string, date: string): string {
  const booked = qb
    .subQuery()
    .select('1')
    .from(Booking, 'booking')
    .where(`booking.venueId = ${slot}.venue_id`)
    .andWhere(`booking.slotId = ${slot}.id`)
    .andWhere(`booking.date = ${date}`)
    .andWhere(`booking.status = 'confirmed'`);
  return `EXISTS ${booked.getQuery()}`;
}

/** The venue `venueId` (a column of the outer query) is blacked out on `date`. */
export function blackoutSql(qb: Builder, venueId: string, date: string): string {
  const blackout = qb.subQuery().select('1').from(VenueBlackout, 'blackout').where(`blackout.venueId = ${venueId}`).andWhere(`blackout.date = ${date}`);
  return `EXISTS ${blackout.getQuery()}`;
}

/** The weekday (0 = Sunday, as venue_slots.weekday) of `date`. */
export function weekdaySql(date: string): string {
  return `extract(dow FROM ${date})::smallint`;
}

/**
 * The venue `venueId` (a column of the outer query) offers at least one slot on `date` that is
 * neither booked nor blacked out. Public holidays are not checked here: they come from the
 * in-memory calendar, and callers exclude holiday cities themselves.
 */
export function hasFreeSlotSql(qb: Builder, venueId: string, date: string): string {
  const freeSlot = qb.subQuery().select('1').from(VenueSlot, 'free_slot').where(`free_slot.venueId = ${venueId}`).andWhere(`free_slot.weekday = ${weekdaySql(date)}`);
  freeSlot.andWhere(`NOT ${slotBookedSql(freeSlot, 'free_slot', date)}`);
  return `(NOT ${blackoutSql(qb, venueId, date)} AND EXISTS ${freeSlot.getQuery()})`;
}
