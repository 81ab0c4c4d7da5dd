import { EpochSeconds, epochSecondsAt } from '../calendar';
import { priceInMinorUnits } from '../data/currencies';
import { STREETS, VENUE_FEATURES, VENUE_NAME_ADJECTIVES, VENUE_NAME_NOUNS } from '../data/texts';
import type { Random } from '../random';
import { defineTable } from '../table-writer';
import { ratingSummary, reviewsOf } from './reviews';
import { SeedContext, SeededCity, VenuePlan, randomOf } from './seed-context';
import { slotsOf } from './venue-details';

export interface VenueRow {
  id: number;
  slug: string;
  name: string;
  description: string;
  address: string;
  cityId: number;
  categoryId: number;
  hostId: number;
  lat: number;
  lng: number;
  minCapacity: number;
  maxCapacity: number;
  basePriceCents: number;
  currency: string;
  rating: number | null;
  reviewCount: number;
  instantBook: boolean;
  isActive: boolean;
  createdAt: EpochSeconds;
  updatedAt: EpochSeconds;
}

export const venuesTable = defineTable<VenueRow>('venues', {
  id: 'integer',
  slug: 'text',
  name: 'text',
  description: 'text',
  address: 'text',
  cityId: 'integer',
  categoryId: 'integer',
  hostId: 'integer',
  lat: 'double precision',
  lng: 'double precision',
  minCapacity: 'integer',
  maxCapacity: 'integer',
  basePriceCents: 'integer',
  currency: 'text',
  rating: 'numeric',
  reviewCount: 'integer',
  instantBook: 'boolean',
  isActive: 'boolean',
  createdAt: 'timestamptz',
  updatedAt: 'timestamptz',
});

/** Venues lie within this distance of their city centre, denser towards the middle. */
const MAX_DISTANCE_FROM_CENTRE_KM = 15;
const KM_PER_DEGREE_LATITUDE = 111.32;
/** A venue's minimum party size is at most this, and at most half its maximum. */
const MAX_MIN_CAPACITY = 50;
const INSTANT_BOOK_SHARE = 0.4;
const ACTIVE_SHARE = 0.97;

/**
 * Decides each venue's city (bigger cities get more venues), category, host, capacity and price,
 * and numbers its slots.
 */
export function planVenues(context: SeedContext): VenuePlan[] {
  const cityWeights = context.cities.map((city) => city.weight);
  const venues: VenuePlan[] = [];
  let nextSlotId = 1;
  for (let id = 1; id <= context.scale.venueCount; id++) {
    const random = randomOf(context, 'venue', id);
    const cityIndex = random.weightedIndex(cityWeights);
    const category = random.pick(context.categories);
    const maxCapacity = random.lowInt(...category.maxCapacity);
    const venue: VenuePlan = {
      id,
      city: context.cities[cityIndex],
      category,
      hostId: random.pick(context.hostIdsByCity[cityIndex]),
      minCapacity: random.int(1, Math.max(1, Math.min(MAX_MIN_CAPACITY, Math.floor(maxCapacity / 2)))),
      maxCapacity,
      basePriceCents: priceInMinorUnits(random.lowInt(...category.basePriceEuros), context.cities[cityIndex].currency),
      firstSlotId: nextSlotId,
    };
    nextSlotId += slotsOf(venue, context).length;
    venues.push(venue);
  }
  return venues;
}

/** Venue rows one at a time; slugs are made unique across the whole run. */
export function* venueRows(venues: readonly VenuePlan[], context: SeedContext): Iterable<VenueRow[]> {
  const takenSlugs = new Set<string>();
  for (const venue of venues) {
    const random = randomOf(context, 'venue-profile', venue.id);
    const name = `${random.pick(VENUE_NAME_ADJECTIVES)} ${random.pick(VENUE_NAME_NOUNS)} ${random.pick(venue.category.nameSuffixes)}`;
    const { lat, lng } = pointNear(random, venue.city);
    const { rating, reviewCount } = ratingSummary(reviewsOf(venue, context));
    const createdDay = context.today - random.int(60, 1500);
    yield [
      {
        id: venue.id,
        slug: uniqueSlug(slugify(`${name} ${venue.city.slug}`), takenSlugs),
        name,
        description: describe(random, venue),
        address: addressIn(random, venue.city),
        cityId: venue.city.id,
        categoryId: venue.category.id,
        hostId: venue.hostId,
        lat,
        lng,
        minCapacity: venue.minCapacity,
        maxCapacity: venue.maxCapacity,
        basePriceCents: venue.basePriceCents,
        currency: venue.city.currency.code,
        rating,
        reviewCount,
        instantBook: random.chance(INSTANT_BOOK_SHARE),
        isActive: random.chance(ACTIVE_SHARE),
        createdAt: epochSecondsAt(createdDay, random.int(0, 86_399)),
        updatedAt: epochSecondsAt(random.int(createdDay, context.today - 1), random.int(0, 86_399)),
      },
    ];
  }
}

function pointNear(random: Random, city: SeededCity): { lat: number; lng: number } {
  const distanceKm = MAX_DISTANCE_FROM_CENTRE_KM * random.next();
  const bearing = random.between(0, 2 * Math.PI);
  const lat = city.lat + (distanceKm * Math.cos(bearing)) / KM_PER_DEGREE_LATITUDE;
  const lng = city.lng + (distanceKm * Math.sin(bearing)) / (KM_PER_DEGREE_LATITUDE * Math.cos((city.lat * Math.PI) / 180));
  return { lat: roundTo6(lat), lng: roundTo6(lng) };
}

function roundTo6(degrees: number): number {
  return Math.round(degrees * 1e6) / 1e6;
}

function describe(random: Random, venue: VenuePlan): string {
  const features = random.sample(VENUE_FEATURES, random.int(2, 3));
  return `${venue.category.pitch} ${features.join(' ')} Welcomes ${venue.minCapacity} to ${venue.maxCapacity} guests.`;
}

function addressIn(random: Random, city: SeededCity): string {
  const { style, names } = STREETS[city.language];
  const street = random.pick(names);
  switch (style) {
    case 'number-first':
      return `${random.int(1, 250)} ${street}, ${city.name}`;
    case 'number-last':
      return `${street} ${random.int(1, 250)}, ${city.name}`;
    case 'block-number':
      return `${random.int(1, 5)}-${random.int(1, 30)}-${random.int(1, 20)} ${street}, ${city.name}`;
  }
}

function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function uniqueSlug(slug: string, taken: Set<string>): string {
  let candidate = slug;
  for (let suffix = 2; taken.has(candidate); suffix++) candidate = `${slug}-${suffix}`;
  taken.add(candidate);
  return candidate;
}
