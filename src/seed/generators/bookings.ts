import { DayNumber, EpochSeconds, weekdayOf } from '../calendar';
import { defineTable } from '../table-writer';
import { SeedContext, VenuePlan, pastMoment, randomOf } from './seed-context';
import { SlotRow, VenueAddOnRow, addOnsOf, blackoutDaysOf, priceOverridesOf, slotsOf } from './venue-details';

export interface BookingRow {
  venueId: number;
  slotId: number;
  userId: number;
  date: DayNumber;
  guests: number;
  addOnIds: number[];
  totalPriceCents: number;
  status: 'confirmed' | 'cancelled';
  createdAt: EpochSeconds;
}

export const bookingsTable = defineTable<BookingRow>('bookings', {
  venueId: 'integer',
  slotId: 'integer',
  userId: 'integer',
  date: 'date',
  guests: 'integer',
  addOnIds: 'integer[]',
  totalPriceCents: 'integer',
  status: 'text',
  createdAt: 'timestamptz',
});

/** SPEC §3: about one bookable slot in five is taken over the next 60 days. */
const OCCUPANCY = 0.2;
/** Cancelled bookings sit beside the confirmed ones; the unique index only counts confirmed. */
const CANCELLED_SHARE = 0.02;

/**
 * Bookings over the window, never on the venue's holidays or blackouts, at most one confirmed per
 * slot and date, priced by the SPEC §3 rule: the date's override, else the slot's price, else the
 * base price, plus the chosen add-ons.
 */
export function bookingsOf(venue: VenuePlan, context: SeedContext): BookingRow[] {
  const random = randomOf(context, 'bookings', venue.id);
  const holidays = context.holidaysByCityId.get(venue.city.id);
  const blackouts = new Set(blackoutDaysOf(venue, context));
  const overrides = new Map(priceOverridesOf(venue, context).map((override) => [override.day, override.priceCents]));
  const addOns = addOnsOf(venue, context);
  const slotsByWeekday = groupByWeekday(slotsOf(venue, context));

  const bookings: BookingRow[] = [];
  for (const day of context.bookingWindow) {
    if (holidays?.has(day) || blackouts.has(day)) continue;
    for (const slot of slotsByWeekday[weekdayOf(day)]) {
      const slotPrice = overrides.get(day) ?? slot.priceCents ?? venue.basePriceCents;
      const book = (status: BookingRow['status']) => {
        const chosenAddOns = random.sample(addOns, random.int(0, 2));
        bookings.push({
          venueId: venue.id,
          slotId: slot.id,
          userId: random.pick(context.guestIds),
          date: day,
          // Most parties are nearer the venue's minimum than its maximum.
          guests: random.lowInt(venue.minCapacity, venue.maxCapacity),
          addOnIds: chosenAddOns.map((addOn) => addOn.addOnId),
          totalPriceCents: slotPrice + sumPrices(chosenAddOns),
          status,
          createdAt: pastMoment(random, context.today, 1, 45),
        });
      };
      if (random.chance(OCCUPANCY)) book('confirmed');
      if (random.chance(CANCELLED_SHARE)) book('cancelled');
    }
  }
  return bookings;
}

function groupByWeekday(slots: readonly SlotRow[]): SlotRow[][] {
  const byWeekday: SlotRow[][] = Array.from({ length: 7 }, () => []);
  for (const slot of slots) byWeekday[slot.weekday].push(slot);
  return byWeekday;
}

function sumPrices(addOns: readonly VenueAddOnRow[]): number {
  return addOns.reduce((total, addOn) => total + addOn.priceCents, 0);
}
