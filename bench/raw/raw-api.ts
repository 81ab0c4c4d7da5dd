import { AsyncLocalStorage } from 'node:async_hooks';
import { Pool } from 'pg';
import { requestFingerprint } from '../../src/bookings/idempotency-key';
import { BookingsRepository } from '../../src/bookings/bookings.repository';
import { addDays } from '../../src/common/calendar-date';
import { SESSION_STARTUP_OPTIONS } from '../../src/database/data-source-options';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { DiscoveryRepository, type VenueSearch } from '../../src/discovery/discovery.repository';
import { isTransactionControl } from '../../src/profiling/sql-normalizer';
import { ReferenceRepository, type CatalogCity } from '../../src/reference/reference.repository';
import { createDetachedDataSource } from '../../src/sql-snapshots/detached-data-source';
import { type DetachedRepositories, wireDetachedRepositories } from '../../src/sql-snapshots/detached-repositories';
import { AvailabilityRepository } from '../../src/venue-domain/availability.repository';
import { VenuesRepository } from '../../src/venues/venues.repository';
import type { BookableSlot } from '../fixtures';
import type { RequestTally } from '../measure';
import { DETAIL_DAYS, type DiscoveryParams } from '../workloads';

/** The API's default DB_POOL_SIZE. */
const POOL_SIZE = 10;
const PAGE_SIZE = 20;
/** The API's default IDEMPOTENCY_KEY_TTL_S. */
const IDEMPOTENCY_KEY_TTL_S = 86_400;

interface Catalog {
  cities: Map<string, CatalogCity>;
  categories: Map<string, number>;
  addOns: Map<string, number>;
}

const cityKey = (cityId: number, date: string) => `city:${cityId}:${date}`;
const countryKey = (countryCode: string, date: string) => `country:${countryCode}:${date}`;

/**
 * The floor: the API's own repositories (so the statements are the ones the API sends, never a
 * copy that drifts) on a DataSource without a pool of TypeORM's, whose sessions are bare `pg`
 * clients, one per request as in the API; no Nest request pipeline, no response building. What
 * the API keeps in memory (slug catalog, holiday calendar) is loaded once here too.
 */
export class RawApi {
  private constructor(
    private readonly pool: Pool,
    private readonly tallies: AsyncLocalStorage<RequestTally>,
    private readonly repositories: DetachedRepositories,
    private readonly catalog: Catalog,
    private readonly holidays: Set<string>,
  ) {}

  static async connect(url: string): Promise<RawApi> {
    const pool = new Pool({ connectionString: url, max: POOL_SIZE, application_name: 'venues-bench-raw', options: SESSION_STARTUP_OPTIONS });
    const tallies = new AsyncLocalStorage<RequestTally>();
    const dataSource = await createDetachedDataSource(async () => {
      const client = await pool.connect();
      const tally = tallies.getStore();
      return {
        send: async (sql, parameters) => {
          // Counted apart, as the API's profiler counts them.
          if (tally && !isTransactionControl(sql)) tally.statements += 1;
          // Raw: the floor of SPEC §10 — the builders' statements sent through bare pg, nothing in between.
          return (await client.query(sql, parameters)).rows;
        },
        release: async () => client.release(),
      };
    });
    const repositories = await wireDetachedRepositories(dataSource, [
      ReferenceRepository,
      DiscoveryRepository,
      AvailabilityRepository,
      VenuesRepository,
      BookingsRepository,
    ]);
    const reference = repositories.get(ReferenceRepository);
    const rows = await reference.findCatalog();
    const catalog: Catalog = {
      cities: new Map(rows.cities.map((city) => [city.slug, city])),
      categories: new Map(rows.categories.map((category) => [category.slug, category.id])),
      addOns: new Map(rows.addOns.map((addOn) => [addOn.slug, addOn.id])),
    };
    const holidays = (await reference.findUpcomingHolidays()).map((holiday) =>
      holiday.cityId === null ? countryKey(holiday.countryCode, holiday.date) : cityKey(holiday.cityId, holiday.date),
    );
    return new RawApi(pool, tallies, repositories, catalog, new Set(holidays));
  }

  async close(): Promise<void> {
    await this.repositories.close();
    await this.pool.end();
  }

  private isHoliday(city: { id: number; countryCode: string }, date: string): boolean {
    return this.holidays.has(cityKey(city.id, date)) || this.holidays.has(countryKey(city.countryCode, date));
  }

  /** Runs `work` as the API does one request: in a UnitOfWork session (or transaction), one pg client, its statements counted. */
  private async asRequest(work: (unitOfWork: UnitOfWork) => Promise<void>): Promise<RequestTally> {
    const tally: RequestTally = { statements: 0, sessions: 1 };
    await this.tallies.run(tally, () => work(this.repositories.get(UnitOfWork)));
    return tally;
  }

  /** DiscoveryService.compute on a miss: the page statement, then the page's availability unless every venue is closed. */
  discovery(params: DiscoveryParams): Promise<RequestTally> {
    const search = this.venueSearch(params);
    return this.asRequest((unitOfWork) =>
      unitOfWork.inSession(async () => {
        const page = await this.repositories.get(DiscoveryRepository).searchVenues(search);
        const date = params.date;
        if (!date) return;
        const open = page.venues.filter((venue) => !this.isHoliday({ id: venue.cityId, countryCode: venue.countryCode }, date)).map((venue) => venue.id);
        if (open.length > 0) await this.repositories.get(AvailabilityRepository).availabilityFor(open, [date]);
      }),
    );
  }

  private venueSearch(params: DiscoveryParams): VenueSearch {
    const city = params.city === undefined ? undefined : this.catalog.cities.get(params.city);
    const ids = (slugs: string[] | undefined, index: Map<string, number>) => slugs?.map((slug) => index.get(slug)!);
    const holidayCityIds = (date: string) =>
      (city ? [city] : [...this.catalog.cities.values()]).filter((candidate) => this.isHoliday(candidate, date)).map((closed) => closed.id);
    const page = params.page ?? 1;
    return {
      cityId: city?.id,
      guests: params.guests,
      minCapacity: params.minCapacity,
      maxCapacity: params.maxCapacity,
      categoryIds: ids(params.category, this.catalog.categories),
      addOnIds: ids(params.addOns, this.catalog.addOns),
      minPrice: params.minPrice,
      maxPrice: params.maxPrice,
      instantBook: params.instantBook,
      position: params.lat !== undefined && params.lng !== undefined ? { lat: params.lat, lng: params.lng } : undefined,
      radiusKm: params.radiusKm,
      availableOn: params.onlyAvailable && params.date ? { date: params.date, holidayCityIds: holidayCityIds(params.date) } : undefined,
      sort: params.sort ?? 'relevance',
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    };
  }

  /** VenuesService.detail's session: the venue with its reviews, the days' availability, the viewer's state. */
  detail(venueSlug: string, userId: number): Promise<RequestTally> {
    return this.asRequest((unitOfWork) =>
      unitOfWork.inSession(async () => {
        const venues = this.repositories.get(VenuesRepository);
        const venue = await venues.findDetail({ slug: venueSlug });
        if (!venue) throw new Error(`no active venue ${venueSlug}`);
        const dates = Array.from({ length: DETAIL_DAYS }, (_, offset) => addDays(venue.today, offset));
        await this.repositories.get(AvailabilityRepository).availabilityFor([venue.id], dates);
        await venues.viewerState(venue.id, userId, venue.today);
      }),
    );
  }

  /** BookingsService.book with an Idempotency-Key, success path: claim, venue, slot price, insert, in one transaction. */
  booking(slot: BookableSlot, userId: number, idempotencyKey: string): Promise<RequestTally> {
    return this.asRequest((unitOfWork) =>
      unitOfWork.transaction(async () => {
        const bookings = this.repositories.get(BookingsRepository);
        const fingerprint = requestFingerprint([slot.venueSlug, slot.date, slot.slot, slot.guests, []]);
        const claim = await bookings.claimIdempotencyKey(userId, idempotencyKey, fingerprint, IDEMPOTENCY_KEY_TTL_S);
        if (claim.kind !== 'claimed') throw new Error(`idempotency key ${idempotencyKey}: ${claim.kind}`);
        const venue = await bookings.findBookingVenue({ slug: slot.venueSlug }, slot.date, []);
        if (!venue) throw new Error(`no active venue ${slot.venueSlug}`);
        const offered = await this.repositories.get(AvailabilityRepository).availabilityFor([venue.id], [slot.date]);
        const priced = offered.find((candidate) => candidate.code === slot.slot);
        if (!priced || priced.booked) throw new Error(`slot ${slot.slot} of ${slot.venueSlug} on ${slot.date} is not bookable`);
        const outcome = await bookings.insertBooking({
          venueId: venue.id,
          userId,
          date: slot.date,
          slot: slot.slot,
          guests: slot.guests,
          addOnIds: [],
          totalPriceCents: priced.priceCents,
          idempotencyKey,
        });
        if (outcome.kind !== 'created') throw new Error(`booking ${slot.venueSlug} ${slot.date} ${slot.slot}: ${outcome.kind}`);
      }),
    );
  }
}
