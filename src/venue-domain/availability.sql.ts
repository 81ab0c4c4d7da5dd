/**
 * What "booked" and "blocked" mean, written once: the availability listing and the discovery
 * onlyAvailable filter compose these fragments, so they cannot disagree. `date` is an SQL
 * expression of type date; the fragments use their own aliases so they nest anywhere.
 */

/** A confirmed booking holds slot `slot` (an alias of venue_slots) on `date`. */
export function slotBookedSql(slot: string, date: string): string {
  return `EXISTS (SELECT 1 FROM bookings booking
    WHERE booking.venue_id = ${slot}.venue_id AND booking.slot_id = ${slot}.id AND booking.date = ${date} AND booking.status = 'confirmed')`;
}

/** The venue `venueId` (a column expression) is blacked out on `date`. */
export function blackoutSql(venueId: string, date: string): string {
  return `EXISTS (SELECT 1 FROM venue_blackouts blackout WHERE blackout.venue_id = ${venueId} AND blackout.date = ${date})`;
}

/** The weekday (0 = Sunday, as venue_slots.weekday) of `date`. */
export function weekdaySql(date: string): string {
  return `extract(dow FROM ${date})::smallint`;
}

/**
 * The venue offers at least one slot on `date` that is neither booked nor blacked out.
 * Public holidays are not checked here: they come from the in-memory calendar, and callers
 * exclude holiday cities themselves.
 */
export function hasFreeSlotSql(venueId: string, date: string): string {
  return `(NOT ${blackoutSql(venueId, date)} AND EXISTS (SELECT 1 FROM venue_slots free_slot
    WHERE free_slot.venue_id = ${venueId} AND free_slot.weekday = ${weekdaySql(date)} AND NOT ${slotBookedSql('free_slot', date)}))`;
}
