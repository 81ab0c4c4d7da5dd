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
