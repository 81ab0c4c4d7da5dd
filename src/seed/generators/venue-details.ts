import type { DayNumber } from '../calendar';
import { SLOTS } from '../data/catalog';
import { priceInMinorUnits, roundPrice } from '../data/currencies';
import { BLACKOUT_REASONS, PHOTO_CAPTIONS } from '../data/texts';
import { defineTable } from '../table-writer';
import { SeedContext, VenuePlan, randomOf } from './seed-context';

export interface SlotRow {
  id: number;
  venueId: number;
  weekday: number;
  code: string;
  startsAt: string;
  endsAt: string;
  priceCents: number | null;
}

export const venueSlotsTable = defineTable<SlotRow>('venue_slots', {
  id: 'integer',
  venueId: 'integer',
  weekday: 'smallint',
  code: 'text',
  startsAt: 'time',
  endsAt: 'time',
  priceCents: 'integer',
});

/** Weights for 1, 2, 3 or 4 slots on a weekday: most venues open for two or three day parts. */
const SLOTS_PER_DAY_WEIGHTS = [0.2, 0.35, 0.3, 0.15];
const OWN_SLOT_PRICE_SHARE = 0.2;

/**
 * 1–4 day parts per weekday with the venue's own opening hours for each; about one slot in five
 * has its own price (evenings dearer, mornings cheaper), the rest cost the base price.
 */
export function slotsOf(venue: VenuePlan, context: SeedContext): SlotRow[] {
  const random = randomOf(context, 'slots', venue.id);
  const hours = SLOTS.map((slot) => random.pick(slot.hours));
  const slots: SlotRow[] = [];
  for (let weekday = 0; weekday <= 6; weekday++) {
    const count = 1 + random.weightedIndex(SLOTS_PER_DAY_WEIGHTS);
    for (const slot of random.sample(SLOTS, count)) {
      const [startsAt, endsAt] = hours[SLOTS.indexOf(slot)];
      const ownPrice = random.chance(OWN_SLOT_PRICE_SHARE)
        ? roundPrice(venue.basePriceCents * slot.priceFactor * random.between(0.9, 1.1), venue.city.currency)
        : null;
      slots.push({ id: venue.firstSlotId + slots.length, venueId: venue.id, weekday, code: slot.code, startsAt, endsAt, priceCents: ownPrice });
    }
  }
  return slots;
}

export interface VenueAddOnRow {
  venueId: number;
  addOnId: number;
  priceCents: number;
}

export const venueAddOnsTable = defineTable<VenueAddOnRow>('venue_add_ons', {
  venueId: 'integer',
  addOnId: 'integer',
  priceCents: 'integer',
});

export function addOnsOf(venue: VenuePlan, context: SeedContext): VenueAddOnRow[] {
  const random = randomOf(context, 'add-ons', venue.id);
  return random.sample(context.addOns, random.int(0, 5)).map((addOn) => ({
    venueId: venue.id,
    addOnId: addOn.id,
    priceCents: priceInMinorUnits(random.between(...addOn.priceEuros), venue.city.currency),
  }));
}

export interface BlackoutRow {
  venueId: number;
  date: DayNumber;
  reason: string | null;
}

export const venueBlackoutsTable = defineTable<BlackoutRow>('venue_blackouts', {
  venueId: 'integer',
  date: 'date',
  reason: 'text',
});

export function blackoutDaysOf(venue: VenuePlan, context: SeedContext): DayNumber[] {
  const random = randomOf(context, 'blackouts', venue.id);
  return random.sample(context.bookingWindow, random.int(0, 3));
}

export function blackoutsOf(venue: VenuePlan, context: SeedContext): BlackoutRow[] {
  const random = randomOf(context, 'blackout-reasons', venue.id);
  return blackoutDaysOf(venue, context).map((day) => ({
    venueId: venue.id,
    date: day,
    reason: random.chance(0.8) ? random.pick(BLACKOUT_REASONS) : null,
  }));
}

export interface PriceOverride {
  day: DayNumber;
  priceCents: number;
}

export interface PriceOverrideRow {
  venueId: number;
  date: DayNumber;
  priceCents: number;
}

export const venuePriceOverridesTable = defineTable<PriceOverrideRow>('venue_price_overrides', {
  venueId: 'integer',
  date: 'date',
  priceCents: 'integer',
});

/** A few dates priced apart from the usual (a trade fair week, a quiet Monday). */
export function priceOverridesOf(venue: VenuePlan, context: SeedContext): PriceOverride[] {
  const random = randomOf(context, 'price-overrides', venue.id);
  return random.sample(context.bookingWindow, random.int(0, 4)).map((day) => ({
    day,
    priceCents: roundPrice(venue.basePriceCents * random.between(0.7, 1.8), venue.city.currency),
  }));
}

export function priceOverrideRowsOf(venue: VenuePlan, context: SeedContext): PriceOverrideRow[] {
  return priceOverridesOf(venue, context).map(({ day, priceCents }) => ({ venueId: venue.id, date: day, priceCents }));
}

export interface PhotoRow {
  venueId: number;
  url: string;
  caption: string | null;
  position: number;
}

export const venuePhotosTable = defineTable<PhotoRow>('venue_photos', {
  venueId: 'integer',
  url: 'text',
  caption: 'text',
  position: 'integer',
});

export function photosOf(venue: VenuePlan, context: SeedContext): PhotoRow[] {
  const random = randomOf(context, 'photos', venue.id);
  const count = random.chance(0.1) ? 0 : random.int(1, 6);
  return random.sample(PHOTO_CAPTIONS, count).map((caption, position) => ({
    venueId: venue.id,
    url: `https://images.example.com/venues/${venue.id}/${position + 1}.jpg`,
    caption: random.chance(0.9) ? caption : null,
    position,
  }));
}
