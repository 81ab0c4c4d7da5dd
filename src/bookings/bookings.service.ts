import { Injectable, Logger } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { AvailabilityRepository } from '../venue-domain/availability.repository';
import { HolidayCalendar } from '../reference/holiday-calendar';
import { addDays } from '../common/calendar-date';
import { AppConfig } from '../config/app-config';
import { DiscoveryCache } from '../discovery/discovery-cache';
import { UnitOfWork } from '../database/unit-of-work';
import { ReadReplicas } from '../database/read-replicas';
import { ProfilerService } from '../profiling/profiler.service';
import { toVenueRef } from '../venue-domain/venue-ref';
import { BookingProblems } from './booking-problems';
import { BookingVenue, BookingsRepository } from './bookings.repository';
import type { BookingDto, BookingListDto } from './dto/booking.dto';
import type { CreateBookingRequest } from './dto/create-booking.request';
import type { MyBookingsQuery } from './dto/my-bookings.query';
import { requestFingerprint } from './idempotency-key';

/** Bookings open this many days ahead of today in the venue's time zone (discovery's date range too). */
const BOOKING_HORIZON_DAYS = 365;

export interface BookingResult {
  booking: BookingDto;
  /** The response is the stored one of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

@Injectable()
export class BookingsService {
  private readonly logger = new Logger('BookingsService');

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly repository: BookingsRepository,
    private readonly availability: AvailabilityRepository,
    private readonly holidays: HolidayCalendar,
    private readonly discovery: DiscoveryCache,
    private readonly config: AppConfig,
    private readonly replicas: ReadReplicas,
    private readonly profiler: ProfilerService,
  ) {}

  /**
   * Books a slot (SPEC §7). Everything runs in one transaction on one session: with an
   * Idempotency-Key the key is claimed first (a replay answers from the stored response and does
   * nothing else), then the request is checked and the booking inserted together with the key's
   * response. Any refusal rolls back, so a failed request leaves the key unused. Once committed,
   * the city's discovery data version is bumped.
   */
  async book(user: AuthenticatedUser, idOrSlug: string, request: CreateBookingRequest, idempotencyKey: string | undefined): Promise<BookingResult> {
    const venueRef = toVenueRef(idOrSlug);
    if (!venueRef) throw BookingProblems.venueNotFound(idOrSlug);
    const addOnSlugs = [...request.addOns].sort();
    const requestHash = requestFingerprint([idOrSlug, request.date, request.slot, request.guests, addOnSlugs]);

    const outcome = await this.unitOfWork.transaction(async (): Promise<BookingResult & { cityId?: number }> => {
      const stored = idempotencyKey === undefined ? undefined : await this.claimOrReplay(user.id, idempotencyKey, requestHash);
      if (stored) return { booking: stored, replayed: true };

      const venue = await this.repository.findBookingVenue(venueRef, request.date, addOnSlugs);
      if (!venue) throw BookingProblems.venueNotFound(idOrSlug);
      await this.refuseUnbookable(venue, request, addOnSlugs);
      const slotPriceCents = await this.slotPriceCents(venue, request);
      const inserted = await this.repository.insertBooking({
        venueId: venue.id,
        userId: user.id,
        date: request.date,
        slot: request.slot,
        guests: request.guests,
        addOnIds: venue.addOns.map((addOn) => addOn.id),
        totalPriceCents: slotPriceCents + venue.addOns.reduce((sum, addOn) => sum + addOn.priceCents, 0),
        idempotencyKey,
      });
      switch (inserted.kind) {
        case 'created':
          return { booking: inserted.booking, replayed: false, cityId: venue.cityId };
        case 'slot-taken':
          throw BookingProblems.slotTaken(request.slot, request.date);
        case 'slot-gone':
          throw BookingProblems.slotNotOffered(request.slot, request.date, weekdayOf(request.date));
        case 'key-already-used':
          throw BookingProblems.idempotencyKeyExpired();
      }
    });
    if (outcome.cityId !== undefined) await this.invalidateDiscovery(outcome.cityId);
    return { booking: outcome.booking, replayed: outcome.replayed };
  }

  async listMine(user: AuthenticatedUser, { page, pageSize }: MyBookingsQuery): Promise<BookingListDto> {
    const { total, bookings } = await this.repository.findUserBookings(user.id, page, pageSize);
    return { data: bookings, meta: { page, pageSize, total, totalPages: Math.ceil(total / pageSize) } };
  }

  /**
   * Cancels the user's own booking. Idempotent: cancelling a cancelled booking answers 200 with it
   * unchanged. Someone else's booking is a 404, exactly like a missing one, so ids reveal nothing.
   */
  async cancel(user: AuthenticatedUser, bookingId: number): Promise<BookingDto> {
    const outcome = await this.repository.cancelBooking(user.id, bookingId);
    if (!outcome) throw BookingProblems.bookingNotFound(bookingId);
    if (outcome.past && outcome.booking.status === 'confirmed') throw BookingProblems.bookingInPast(bookingId, outcome.booking.date);
    if (outcome.cancelledNow) await this.invalidateDiscovery(outcome.cityId);
    return outcome.booking;
  }

  /**
   * Runs after the commit, before the response: the next discovery request for the city, on any
   * instance, misses and shows the change (SPEC §4). The booking stands whatever the cache does, so
   * a failure here is logged, never answered with a 500 (cached responses then expire by their TTL).
   * With read replicas the version carries the primary's WAL position after the commit (one more
   * statement), so no replica's page from before the change is cached under the new version.
   */
  private async invalidateDiscovery(cityId: number): Promise<void> {
    if (this.replicas.configured) this.profiler.extendBudget(1, "the primary's WAL position, for read replicas");
    try {
      await this.discovery.bumpCityVersion(cityId, await this.replicas.primaryPosition());
    } catch (error) {
      this.logger.warn(`could not bump the discovery data version of city ${cityId}: ${String(error)}`);
    }
  }

  /** The stored response of a completed request with this key, or undefined once this request holds the key. */
  private async claimOrReplay(userId: number, key: string, requestHash: string): Promise<BookingDto | undefined> {
    const claim = await this.repository.claimIdempotencyKey(userId, key, requestHash, this.config.IDEMPOTENCY_KEY_TTL_S);
    if (claim.kind === 'in-flight') throw BookingProblems.idempotencyKeyInFlight();
    if (claim.kind === 'claimed') return undefined;
    if (claim.requestHash !== requestHash) throw BookingProblems.idempotencyKeyMismatch();
    return claim.body;
  }

  /** Everything the venue row and the calendar can refuse: the date (past, too far, holiday, blackout), the guests, the add-ons. */
  private async refuseUnbookable(venue: BookingVenue, request: CreateBookingRequest, addOnSlugs: string[]): Promise<void> {
    const { date, guests } = request;
    if (date < venue.today) throw BookingProblems.dateInPast(date, venue.today, venue.timezone);
    const lastDate = addDays(venue.today, BOOKING_HORIZON_DAYS);
    if (date > lastDate) throw BookingProblems.dateTooFarAhead(date, lastDate);
    const holiday = await this.holidays.holidayOn({ id: venue.cityId, countryCode: venue.countryCode }, date);
    if (holiday) throw BookingProblems.holiday(date, holiday.name);
    if (venue.blackedOut) throw BookingProblems.blackout(date);
    if (guests < venue.minCapacity || guests > venue.maxCapacity) throw BookingProblems.guestsOutsideCapacity(guests, venue.minCapacity, venue.maxCapacity);
    const missingAddOns = addOnSlugs.filter((slug) => !venue.addOns.some((addOn) => addOn.slug === slug));
    if (missingAddOns.length > 0) throw BookingProblems.addOnsNotOffered(missingAddOns);
  }

  /**
   * The slot's price on the date by the SPEC §3 rule, from the availability listing discovery and
   * detail show, so a booking costs what was displayed. A slot shown as booked is refused here
   * already; the unique index still decides every race after this read.
   */
  private async slotPriceCents(venue: BookingVenue, request: CreateBookingRequest): Promise<number> {
    const slots = await this.availability.availabilityFor([venue.id], [request.date]);
    const slot = slots.find((candidate) => candidate.code === request.slot);
    if (!slot) throw BookingProblems.slotNotOffered(request.slot, request.date, weekdayOf(request.date), slots.map((offered) => offered.code));
    if (slot.booked) throw BookingProblems.slotTaken(request.slot, request.date);
    return slot.priceCents;
  }
}
