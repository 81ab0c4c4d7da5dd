import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../database/unit-of-work';
import type { WalPosition } from '../database/wal-position';
import { AvailabilityRepository, isFree, SlotOnDate } from '../venue-domain/availability.repository';
import { Holiday, HolidayCalendar } from '../reference/holiday-calendar';
import { Catalog, ReferenceCatalog } from '../reference/reference-catalog';
import type { CatalogCity } from '../reference/reference.repository';
import { ParameterError, ProblemException } from '../common/problem-details';
import { ProfilerService } from '../profiling/profiler.service';
import { AppSettings } from '../reference/app-settings';
import { CachedResponse, DiscoveryCache } from './discovery-cache';
import { DiscoveryRepository, VenuePage, VenueRow, VenueSearch } from './discovery.repository';
import { DiscoveryResponseDto } from './dto/discovery-response.dto';
import { CardAvailabilityDto, VenueCardDto } from '../venue-domain/dto/venue-card.dto';
import { sharedCardFields } from '../venue-domain/venue-card';
import { DiscoveryQuery } from './dto/discovery.query';
import { normalizedQuery } from './normalized-query';

/** What the controller sends: the cached bytes, how long others may keep them, and whether they came from the cache. */
export interface DiscoveryResult extends CachedResponse {
  maxAgeSeconds: number;
  cache: 'HIT' | 'MISS';
}

/** The slugs of a query resolved against the catalog. */
interface ResolvedSlugs {
  city?: CatalogCity;
  categoryIds?: number[];
  addOnIds?: number[];
}

/** Holidays of the cities involved, keyed by city id (none without date). */
type HolidaysByCity = Map<number, Holiday>;

interface FetchedPage {
  page: VenuePage;
  holidays: HolidaysByCity;
  /** Free slots by venue id. */
  slots: Map<number, SlotOnDate[]>;
}

@Injectable()
export class DiscoveryService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly repository: DiscoveryRepository,
    private readonly availability: AvailabilityRepository,
    private readonly catalog: ReferenceCatalog,
    private readonly calendar: HolidayCalendar,
    private readonly settings: AppSettings,
    private readonly cache: DiscoveryCache,
    private readonly profiler: ProfilerService,
  ) {}

  /** Slugs, settings and holidays come from memory: a cache hit runs no statement. */
  async search(query: DiscoveryQuery): Promise<DiscoveryResult> {
    const slugs = resolveSlugs(query, await this.catalog.current());
    const { discoveryCacheTtlSeconds } = await this.settings.current();
    const { response, hit } = await this.cache.getOrCompute(normalizedQuery(query), slugs.city?.id, discoveryCacheTtlSeconds * 1000, (changedAt) =>
      this.compute(query, slugs, changedAt),
    );
    this.profiler.markCache(hit ? 'hit' : 'miss');
    return { ...response, maxAgeSeconds: discoveryCacheTtlSeconds, cache: hit ? 'HIT' : 'MISS' };
  }

  private async compute(query: DiscoveryQuery, slugs: ResolvedSlugs, changedAt: WalPosition | undefined): Promise<DiscoveryResponseDto> {
    const cityHoliday = query.date && slugs.city ? await this.calendar.holidayOn(slugs.city, query.date) : null;
    // A holiday closes every venue of the city: no availability statement can be needed, and with
    // onlyAvailable the answer is known without reading anything.
    const nothingAvailable = cityHoliday !== null && query.onlyAvailable === true;
    if (cityHoliday) this.profiler.limitBudget(nothingAvailable ? 0 : 2, nothingAvailable ? 'holiday with onlyAvailable' : 'holiday');
    const { page, holidays, slots } = nothingAvailable ? noVenues() : await this.fetchPage(await this.venueSearch(query, slugs), query.date, changedAt);
    return {
      data: page.venues.map((venue) => toCard(venue, query.date, holidays, slots)),
      meta: {
        page: query.page,
        pageSize: query.pageSize,
        total: page.total,
        totalExact: page.totalExact,
        totalPages: Math.ceil(page.total / query.pageSize),
        sort: query.sort,
        date: query.date ?? null,
        holiday: cityHoliday,
      },
    };
  }

  /**
   * Every statement of the request, on one session that is released before the response is built:
   * on a read replica that has replayed the city's last change (`changedAt`), else on the primary,
   * so the page cached under the city's version never predates that version.
   */
  private fetchPage(search: VenueSearch, date: string | undefined, changedAt: WalPosition | undefined): Promise<FetchedPage> {
    return this.unitOfWork.inSession(
      async () => {
        const page = await this.profiler.stage('search', () => this.repository.searchVenues(search));
        const holidays = date ? await this.holidaysOf(page.venues, date) : new Map<number, Holiday>();
        const slots = date ? await this.freeSlots(page.venues, date, holidays) : new Map<number, SlotOnDate[]>();
        return { page, holidays, slots };
      },
      { replica: { notBefore: changedAt } },
    );
  }

  private async venueSearch(query: DiscoveryQuery, slugs: ResolvedSlugs): Promise<VenueSearch> {
    const position = query.lat !== undefined && query.lng !== undefined ? { lat: query.lat, lng: query.lng } : undefined;
    return {
      cityId: slugs.city?.id,
      guests: query.guests,
      minCapacity: query.minCapacity,
      maxCapacity: query.maxCapacity,
      categoryIds: slugs.categoryIds,
      addOnIds: slugs.addOnIds,
      minPrice: query.minPrice,
      maxPrice: query.maxPrice,
      instantBook: query.instantBook,
      position,
      radiusKm: query.radiusKm,
      availableOn: query.onlyAvailable && query.date ? { date: query.date, holidayCityIds: await this.holidayCityIds(query.date, slugs.city) } : undefined,
      sort: query.sort,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    };
  }

  /** Cities closed by a holiday on `date`, among the searched city or, without one, all cities. */
  private async holidayCityIds(date: string, city: CatalogCity | undefined): Promise<number[]> {
    const cities = city ? [city] : (await this.catalog.current()).cities.values();
    return [...(await this.calendar.holidaysOfCities(cities, date)).keys()];
  }

  private holidaysOf(venues: VenueRow[], date: string): Promise<HolidaysByCity> {
    return this.calendar.holidaysOfCities(
      venues.map((venue) => ({ id: venue.cityId, countryCode: venue.countryCode })),
      date,
    );
  }

  /** Free slots per venue, for the venues not closed by a holiday; one statement, none when all are closed. */
  private async freeSlots(venues: VenueRow[], date: string, holidays: HolidaysByCity): Promise<Map<number, SlotOnDate[]>> {
    const open = venues.filter((venue) => !holidays.has(venue.cityId)).map((venue) => venue.id);
    const slots = open.length === 0 ? [] : await this.profiler.stage('availability', () => this.availability.availabilityFor(open, [date]));
    const byVenue = new Map<number, SlotOnDate[]>();
    for (const slot of slots.filter(isFree)) {
      const list = byVenue.get(slot.venueId);
      if (list) list.push(slot);
      else byVenue.set(slot.venueId, [slot]);
    }
    return byVenue;
  }
}

/** Unknown slugs are a 400 naming each parameter and slug; the catalog is in memory, so this runs no statement. */
function resolveSlugs(query: DiscoveryQuery, catalog: Catalog): ResolvedSlugs {
  const errors: ParameterError[] = [];
  const lookup = <T>(parameter: string, slugs: string[], index: ReadonlyMap<string, T>): T[] => {
    const unknown = slugs.filter((slug) => !index.has(slug));
    if (unknown.length > 0) errors.push({ parameter, message: `unknown ${parameter}: ${unknown.map((slug) => `'${slug}'`).join(', ')}` });
    return slugs.filter((slug) => index.has(slug)).map((slug) => index.get(slug)!);
  };
  const [city] = query.city ? lookup('city', [query.city], catalog.cities) : [];
  const categoryIds = query.category && lookup('category', query.category, catalog.categories);
  const addOnIds = query.addOns && lookup('addOns', query.addOns, catalog.addOns);
  if (errors.length > 0) throw ProblemException.validation(errors);
  return { city, categoryIds, addOnIds };
}

function toCard(venue: VenueRow, date: string | undefined, holidays: HolidaysByCity, slots: Map<number, SlotOnDate[]>): VenueCardDto {
  return {
    ...sharedCardFields(venue),
    city: { slug: venue.citySlug, name: venue.cityName },
    coverPhotoUrl: venue.coverPhotoUrl,
    addOns: venue.addOns,
    distanceKm: venue.distanceKm,
    availability: date ? availabilityOf(venue, date, holidays, slots) : null,
  };
}

function availabilityOf(venue: VenueRow, date: string, holidays: HolidaysByCity, slots: Map<number, SlotOnDate[]>): CardAvailabilityDto {
  const isHoliday = holidays.has(venue.cityId);
  const free = isHoliday ? [] : (slots.get(venue.id) ?? []);
  return { date, isHoliday, slots: free.map(({ code, startsAt, endsAt, priceCents }) => ({ code, startsAt, endsAt, priceCents })) };
}

function noVenues(): FetchedPage {
  return { page: { total: 0, totalExact: true, venues: [] }, holidays: new Map(), slots: new Map() };
}
