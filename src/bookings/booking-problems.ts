import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem-details';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function unprocessable(type: string, title: string, detail: string): ProblemException {
  return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, { type: `/problems/${type}`, title, detail });
}

function conflict(type: string, title: string, detail: string): ProblemException {
  return new ProblemException(HttpStatus.CONFLICT, { type: `/problems/${type}`, title, detail });
}

/**
 * Every way a booking request can be refused for what it asks (not for how it is written: that is
 * a 400 from validation). Each reason has its own problem `type`, so clients can branch on it, and
 * a `detail` a person can read.
 */
export const BookingProblems = {
  venueNotFound: (idOrSlug: string) => new ProblemException(HttpStatus.NOT_FOUND, { detail: `No active venue has the id or slug '${idOrSlug}'` }),

  bookingNotFound: (id: number) => new ProblemException(HttpStatus.NOT_FOUND, { detail: `You have no booking with the id ${id}` }),

  dateInPast: (date: string, today: string, timezone: string) =>
    unprocessable('date-in-past', 'Date in the past', `${date} is in the past: it is already ${today} in the venue's time zone (${timezone})`),

  dateTooFarAhead: (date: string, lastDate: string) =>
    unprocessable('date-too-far-ahead', 'Date too far ahead', `${date} is too far ahead: bookings open up to ${lastDate}`),

  holiday: (date: string, name: string) =>
    unprocessable('venue-closed-holiday', 'Venue closed on a public holiday', `The venue is closed on ${date}, a public holiday (${name})`),

  blackout: (date: string) => unprocessable('venue-closed-blackout', 'Venue closed on that date', `The venue is closed on ${date} (blackout date)`),

  /** `offered`: the codes the venue does offer that day, when known. */
  slotNotOffered: (slot: string, date: string, weekday: number, offered?: string[]) =>
    unprocessable(
      'slot-not-offered',
      'Slot not offered that day',
      `The venue offers no slot '${slot}' on ${WEEKDAYS[weekday]}s (${date})` +
        (offered ? `; that day it offers: ${offered.length > 0 ? offered.join(', ') : 'nothing'}` : ''),
    ),

  guestsOutsideCapacity: (guests: number, min: number, max: number) =>
    unprocessable('guests-outside-capacity', 'Guests outside the venue\'s capacity', `The venue takes ${min} to ${max} guests, not ${guests}`),

  addOnsNotOffered: (slugs: string[]) =>
    unprocessable('add-on-not-offered', 'Add-on not offered', `The venue does not offer: ${slugs.join(', ')}`),

  slotTaken: (slot: string, date: string) => conflict('slot-taken', 'Slot already booked', `The slot '${slot}' on ${date} is already booked`),

  idempotencyKeyInFlight: () =>
    conflict('idempotency-key-in-flight', 'Request with this key in progress', 'A request with this Idempotency-Key is still being processed; retry once it has finished'),

  idempotencyKeyMismatch: () =>
    unprocessable('idempotency-key-mismatch', 'Idempotency-Key reused', 'This Idempotency-Key was already used for a different request; use a new key for a new request'),

  idempotencyKeyExpired: () =>
    unprocessable(
      'idempotency-key-mismatch',
      'Idempotency-Key reused',
      'This Idempotency-Key already created a booking whose stored response has expired; use a new key for a new request',
    ),

  bookingInPast: (id: number, date: string) =>
    unprocessable('booking-in-past', 'Booking in the past', `Booking ${id} was for ${date}, which has passed; it can no longer be cancelled`),
};
