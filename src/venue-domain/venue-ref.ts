/** PostgreSQL `integer`: an id beyond it could only fail inside a statement. */
export const MAX_INT4 = 2_147_483_647;

/** A venue named by a path's idOrSlug. */
export type VenueRef = { id: number } | { slug: string };

const DIGITS = /^\d+$/;

/**
 * How every route reads a path's idOrSlug (detail, bookings): all digits, an id; else a slug. An
 * id out of range names no venue: undefined, answered 404 without a statement.
 */
export function toVenueRef(idOrSlug: string): VenueRef | undefined {
  if (!DIGITS.test(idOrSlug)) return { slug: idOrSlug };
  const id = Number(idOrSlug);
  return id >= 1 && id <= MAX_INT4 ? { id } : undefined;
}
