import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { GenerateSql } from '../common/generate-sql.decorator';
import { ReusableStatement } from '../database/reusable-statement';
import { UnitOfWork } from '../database/unit-of-work';
import { blackoutSql, slotBookedSql, weekdaySql } from './availability.sql';
import { VenuePriceOverride } from './entities/venue-price-override.entity';
import { VenueSlot } from './entities/venue-slot.entity';

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
 * The requested dates as a relation `day(date)`. TypeORM's from and join take an entity or a
 * parenthesized subquery, never a function call; PostgreSQL pulls this subquery up into the
 * outer query, so the plan is the one of a bare `unnest(...) AS day(date)` in FROM.
 */
const REQUESTED_DATES = '(SELECT date FROM unnest(:dates::date[]) AS day(date))';

/**
 * Availability shared by discovery (one date, a page of venues) and the venue detail (one venue,
 * 1–31 days). Public holidays are not its concern: they come from the in-memory HolidayCalendar,
 * and callers leave holiday dates out instead of asking for them.
 */
@Injectable()
export class AvailabilityRepository {
  private readonly slotsOnDates: ReusableStatement;

  constructor(
    @InjectRepository(VenueSlot) slots: Repository<VenueSlot>,
    unitOfWork: UnitOfWork,
  ) {
    this.slotsOnDates = new ReusableStatement(unitOfWork, () => slotsOnDatesStatement(slots));
  }

  /**
   * Every slot of each date's weekday for each venue, ordered by venue, date and start time.
   * One statement whatever the number of venues and dates, on the caller's open session if any.
   */
  @GenerateSql(
    { name: '2 venues × 2 dates (a discovery page)', params: [[12, 34], ['2026-06-05', '2026-06-06']] },
    { name: '1 venue × 7 days (the venue detail)', params: [[12], ['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05', '2026-06-06', '2026-06-07']] },
  )
  async availabilityFor(venueIds: number[], dates: string[]): Promise<SlotOnDate[]> {
    if (venueIds.length === 0 || dates.length === 0) return [];
    return this.slotsOnDates.rows<SlotOnDate>({ venueIds, dates });
  }

}

/** Every slot of each requested date's weekday for the requested venues, priced, with its state that date. */
function slotsOnDatesStatement(slots: Repository<VenueSlot>) {
const query = slots.createQueryBuilder('slot');
  return query
    .select('slot.venueId', 'venueId')
    .addSelect(`to_char(day.date, 'YYYY-MM-DD')`, 'date')
    .addSelect('slot.code', 'code')
    .addSelect(`to_char(slot.startsAt, 'HH24:MI')`, 'startsAt')
    .addSelect(`to_char(slot.endsAt, 'HH24:MI')`, 'endsAt')
    .addSelect('coalesce(override.priceCents, slot.priceCents, venue.basePriceCents)', 'priceCents')
    .addSelect(slotBookedSql(query, 'slot', 'day.date'), 'booked')
    .addSelect(blackoutSql(query, 'slot.venue_id', 'day.date'), 'blocked')
    .innerJoin(REQUESTED_DATES, 'day', `slot.weekday = ${weekdaySql('day.date')}`)
    .innerJoin('slot.venue', 'venue')
    // On slot.venue_id, not the venue relation: the planner then looks the override up by its whole key (venue_id, date).
    .leftJoin(VenuePriceOverride, 'override', 'override.venueId = slot.venueId AND override.date = day.date')
    .where('slot.venueId = ANY(:venueIds::int[])')
    .orderBy('slot.venueId')
    .addOrderBy('day.date')
    .addOrderBy('slot.startsAt')
    .addOrderBy('slot.code');
}
