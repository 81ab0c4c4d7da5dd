import type { EpochSeconds } from '../calendar';
import { defineTable } from '../table-writer';
import { SeedContext, pastMoment, randomOf } from './seed-context';

export interface FavoriteRow {
  userId: number;
  venueId: number;
  createdAt: EpochSeconds;
}

export const favoritesTable = defineTable<FavoriteRow>('favorites', {
  userId: 'integer',
  venueId: 'integer',
  createdAt: 'timestamptz',
});

/** Up to five saved venues per guest. */
export function favoritesOf(userId: number, context: SeedContext): FavoriteRow[] {
  const random = randomOf(context, 'favorites', userId);
  const venueIds = new Set<number>();
  const wanted = random.int(0, 5);
  while (venueIds.size < wanted) venueIds.add(random.int(1, context.scale.venueCount));
  return [...venueIds].map((venueId) => ({ userId, venueId, createdAt: pastMoment(random, context.today, 1, 365) }));
}
