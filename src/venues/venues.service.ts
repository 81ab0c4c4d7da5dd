import { HttpStatus, Injectable } from '@nestjs/common';
import { AvailabilityRepository, SlotOnDate } from '../venue-domain/availability.repository';
import { Holiday, HolidayCalendar } from '../reference/holiday-calendar';
import { addDays } from '../common/calendar-date';
import { ProblemException } from '../common/problem-details';
import { UnitOfWork } from '../database/unit-of-work';
import { ProfilerService } from '../profiling/profiler.service';
import { DayAvailabilityDto, VenueDetailDto } from './dto/venue-detail.dto';
import { VenueDetailQuery } from './dto/venue-detail.query';
import { sharedCardFields } from '../venue-domain/venue-card';
import { toVenueRef, VenueRef } from '../venue-domain/venue-ref';
import { VenueDetailRow, VenuesRepository, ViewerRow } from './venues.repository';

/** Everything the detail needs from the database, read in one session. */
interface LoadedDetail {
  venue: VenueDetailRow;
  dates: string[];
  slots: SlotOnDate[];
  viewer: ViewerRow;
}


@Injectable()
export class VenuesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly repository: VenuesRepository,
    private readonly availability: AvailabilityRepository,
    private readonly calendar: HolidayCalendar,
    private readonly profiler: ProfilerService,
  ) {}

  /**
   * SPEC §6 in 3 statements in one database session: the venue (with reviews), availability,
   * viewer. The session goes back to the pool before the body is assembled, so a slow client or a
   * large body never holds one.
   */
  async detail(idOrSlug: string, query: VenueDetailQuery, userId: number): Promise<VenueDetailDto> {
    const ref = toVenueRef(idOrSlug);
    const loaded = ref && (await this.loadInOneSession(ref, query, userId));
    if (!loaded) throw new ProblemException(HttpStatus.NOT_FOUND, { detail: `No active venue has the id or slug '${idOrSlug}'` });
    const holidays = await this.calendar.holidaysOn({ id: loaded.venue.cityId, countryCode: loaded.venue.countryCode }, loaded.dates);
    return this.profiler.stage('build', () => toVenueDetail(loaded, holidays));
  }

  private loadInOneSession(ref: VenueRef, query: VenueDetailQuery, userId: number): Promise<LoadedDetail | undefined> {
    return this.unitOfWork.inSession(async () => {
      const venue = await this.profiler.stage('venue', () => this.repository.findDetail(ref));
      if (!venue) return undefined;
      const dates = Array.from({ length: query.days }, (_, offset) => addDays(query.from ?? venue.today, offset));
      // Holiday dates included: the calendar closes them anyway, but a blackout on one is still reported.
      const slots = await this.profiler.stage('availability', () => this.availability.availabilityFor([venue.id], dates));
      const viewer = await this.profiler.stage('viewer', () => this.repository.viewerState(venue.id, userId, venue.today));
      return { venue, dates, slots, viewer };
    });
  }
}


function toVenueDetail({ venue, dates, slots, viewer }: LoadedDetail, holidays: Map<string, Holiday>): VenueDetailDto {
  return {
    ...sharedCardFields(venue),
    city: { slug: venue.citySlug, name: venue.cityName, timezone: venue.timezone },
    coverPhotoUrl: venue.photos[0]?.url ?? null,
    distanceKm: null,
    description: venue.description,
    address: venue.address,
    host: { id: venue.hostId, name: venue.hostName },
    photos: venue.photos,
    addOns: venue.addOns,
    reviews: { latest: venue.latestReviews, histogram: venue.ratingHistogram },
    availability: toDays(dates, slots, holidays),
    viewer,
  };
}

function toDays(dates: string[], slots: SlotOnDate[], holidays: Map<string, Holiday>): DayAvailabilityDto[] {
  const slotsByDate = new Map<string, SlotOnDate[]>();
  for (const slot of slots) {
    const daySlots = slotsByDate.get(slot.date);
    if (daySlots) daySlots.push(slot);
    else slotsByDate.set(slot.date, [slot]);
  }
  return dates.map((date) => {
    const daySlots = slotsByDate.get(date) ?? [];
    const holiday = holidays.get(date);
    const blackout = daySlots.some((slot) => slot.blocked);
    return {
      date,
      isHoliday: holiday !== undefined,
      holidayName: holiday?.name ?? null,
      blackout,
      slots:
        holiday || blackout
          ? []
          : daySlots.map(({ code, startsAt, endsAt, priceCents, booked }) => ({ code, startsAt, endsAt, priceCents, status: booked ? 'booked' : 'free' })),
    };
  });
}
