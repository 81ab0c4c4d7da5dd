import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { blackoutSql, slotBookedSql, weekdaySql } from './availability.sql';

/** One slot a venue offers on one date, priced and with its state on that date. */
export interface SlotOnDate {
  venueId: number;
  /** YYYY-MM-DD */
  date: string;
  code: string;
  /** HH:MM */
  startsAt: string;
  /** HH:MM */
  endsAt: string;
  /** SPEC §3: the venue's price override for the date, else the slot's price, else the base price. */
  priceCents: number;
  /** A confirmed booking holds the slot on this date. */
  booked: boolean;
  /** The venue is blacked out on this date (every slot of the day is). */
  blocked: boolean;
}

export const isFree = (slot: SlotOnDate): boolean => !slot.booked && !slot.blocked;

/**
 * Availability shared by discovery (one date, a page of venues) and the venue detail (one venue,
 * 1–31 days). Public holidays are not its concern: they come from the in-memory HolidayCalendar,
 * and callers leave holiday dates out instead of asking for them.
 */
@Injectable()
export class AvailabilityRepository {
  /**
   * Every slot of each date's weekday for each venue, ordered by venue, date and start time.
   * One statement whatever the number of venues and dates. Runs on the caller's EntityManager
   * (its QueryRunner's), so it shares the caller's database session.
   */
  async availabilityFor(manager: EntityManager, venueIds: number[], dates: string[]): Promise<SlotOnDate[]> {
    if (venueIds.length === 0 || dates.length === 0) return [];
    return manager.query(
      `
      SELECT slot.venue_id AS "venueId",
             to_char(day.date, 'YYYY-MM-DD') AS date,
             slot.code,
             to_char(slot.starts_at, 'HH24:MI') AS "startsAt",
             to_char(slot.ends_at, 'HH24:MI') AS "endsAt",
             coalesce(override.price_cents, slot.price_cents, venue.base_price_cents) AS "priceCents",
             ${slotBookedSql('slot', 'day.date')} AS booked,
             ${blackoutSql('slot.venue_id', 'day.date')} AS blocked
      FROM unnest($2::date[]) AS day(date)
      JOIN venue_slots slot ON slot.venue_id = ANY($1::int[]) AND slot.weekday = ${weekdaySql('day.date')}
      JOIN venues venue ON venue.id = slot.venue_id
      LEFT JOIN venue_price_overrides override ON override.venue_id = slot.venue_id AND override.date = day.date
      ORDER BY slot.venue_id, day.date, slot.starts_at, slot.code`,
      [venueIds, dates],
    );
  }
}
