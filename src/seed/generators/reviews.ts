import type { EpochSeconds } from '../calendar';
import { REVIEW_SENTENCES } from '../data/texts';
import { defineTable } from '../table-writer';
import { SeedContext, VenuePlan, pastMoment, randomOf } from './seed-context';

export interface ReviewRow {
  venueId: number;
  userId: number;
  rating: number;
  body: string;
  createdAt: EpochSeconds;
}

export const reviewsTable = defineTable<ReviewRow>('reviews', {
  venueId: 'integer',
  userId: 'integer',
  rating: 'smallint',
  body: 'text',
  createdAt: 'timestamptz',
});

const UNREVIEWED_SHARE = 0.15;
const MAX_REVIEWS = 20;

/**
 * 0–20 reviews from the last two years around a per-venue quality, so some venues are loved and
 * some are not; the venues table stores their summary.
 */
export function reviewsOf(venue: VenuePlan, context: SeedContext): ReviewRow[] {
  const random = randomOf(context, 'reviews', venue.id);
  if (random.chance(UNREVIEWED_SHARE)) return [];
  const quality = random.between(2.5, 5);
  // A guest reviews a venue once.
  const reviewers = random.sample(context.guestIds, random.int(1, MAX_REVIEWS));
  return reviewers.map((userId) => {
    const rating = Math.min(5, Math.max(1, Math.round(quality + random.between(-1.5, 1))));
    return {
      venueId: venue.id,
      userId,
      rating,
      body: random.sample(REVIEW_SENTENCES[rating - 1], random.int(1, 2)).join(' '),
      createdAt: pastMoment(random, context.today, 1, 730),
    };
  });
}

/**
 * venues.rating is the average rounded half-up to one decimal, computed in integers so it
 * matches PostgreSQL's `round(avg(rating), 1)` exactly (4.35 as a float would round down).
 */
export function ratingSummary(reviews: readonly ReviewRow[]): { rating: number | null; reviewCount: number } {
  if (reviews.length === 0) return { rating: null, reviewCount: 0 };
  const sum = reviews.reduce((total, review) => total + review.rating, 0);
  const tenths = Math.floor((20 * sum + reviews.length) / (2 * reviews.length));
  return { rating: tenths / 10, reviewCount: reviews.length };
}
