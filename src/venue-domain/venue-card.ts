import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * The venue columns behind the card fields of SPEC §4, which the discovery list and the venue
 * detail both show; each adds its own fields around them.
 */
export interface VenueCardColumns {
  id: number;
  slug: string;
  name: string;
  cityId: number;
  citySlug: string;
  cityName: string;
  countryCode: string;
  categorySlug: string;
  categoryName: string;
  minCapacity: number;
  maxCapacity: number;
  basePriceCents: number;
  currency: string;
  rating: number | null;
  reviewCount: number;
  instantBook: boolean;
  lat: number;
  lng: number;
}

/**
 * Selects the VenueCardColumns, named as the interface names them, from a statement on `venue`
 * joined to its `city` and `category` (those aliases): discovery and detail read them alike.
 */
export function selectCardColumns<Entity extends ObjectLiteral>(statement: SelectQueryBuilder<Entity>): SelectQueryBuilder<Entity> {
  return (
    statement
      .select('venue.id', 'id')
      .addSelect('venue.slug', 'slug')
      .addSelect('venue.name', 'name')
      .addSelect('venue.cityId', 'cityId')
      .addSelect('city.slug', 'citySlug')
      .addSelect('city.name', 'cityName')
      .addSelect('city.countryCode', 'countryCode')
      .addSelect('category.slug', 'categorySlug')
      .addSelect('category.name', 'categoryName')
      .addSelect('venue.minCapacity', 'minCapacity')
      .addSelect('venue.maxCapacity', 'maxCapacity')
      .addSelect('venue.basePriceCents', 'basePriceCents')
      .addSelect('venue.currency', 'currency')
      // pg answers numeric as text; the API answers a number.
      .addSelect('venue.rating::float8', 'rating')
      .addSelect('venue.reviewCount', 'reviewCount')
      .addSelect('venue.instantBook', 'instantBook')
      .addSelect('venue.lat', 'lat')
      .addSelect('venue.lng', 'lng')
  );
}

/** The card fields shared by discovery and detail, in their documented shapes. */
export function sharedCardFields(venue: VenueCardColumns) {
  return {
    id: venue.id,
    slug: venue.slug,
    name: venue.name,
    category: { slug: venue.categorySlug, name: venue.categoryName },
    capacity: { min: venue.minCapacity, max: venue.maxCapacity },
    price: { amountCents: venue.basePriceCents, currency: venue.currency },
    rating: venue.rating,
    reviewCount: venue.reviewCount,
    instantBook: venue.instantBook,
    location: { lat: venue.lat, lng: venue.lng },
  };
}
