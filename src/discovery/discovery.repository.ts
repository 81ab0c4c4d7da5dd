import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { GenerateSql } from '../common/generate-sql.decorator';
import { ReusableStatement } from '../database/reusable-statement';
import { UnitOfWork } from '../database/unit-of-work';
import { hasFreeSlotSql } from '../venue-domain/availability.sql';
import { Venue } from '../venue-domain/entities/venue.entity';
import { VenueAddOn } from '../venue-domain/entities/venue-add-on.entity';
import { VenuePhoto } from '../venue-domain/entities/venue-photo.entity';
import { selectCardColumns, type VenueCardColumns } from '../venue-domain/venue-card';
import { BoundedMemoryStore } from './bounded-memory-store';
import type { DiscoverySort } from './dto/discovery.query';
import { boundingBox, greatCircleKmSql, Position } from './geo';

/** Discovery filters with slugs resolved to ids; undefined means "no filter". */
export interface VenueSearch {
  cityId?: number;
  guests?: number;
  minCapacity?: number;
  maxCapacity?: number;
  categoryIds?: number[];
  addOnIds?: number[];
  minPrice?: number;
  maxPrice?: number;
  instantBook?: boolean;
  position?: Position;
  radiusKm?: number;
  /** Only venues with a free slot that day; cities on a public holiday that day have none. */
  availableOn?: { date: string; holidayCityIds: number[] };
  sort: DiscoverySort;
  limit: number;
  offset: number;
}

/** One venue of a result page, with its card's joined and aggregated fields. */
export interface VenueRow extends VenueCardColumns {
  distanceKm: number | null;
  coverPhotoUrl: string | null;
  addOns: string[];
}

export interface VenuePage {
  /** Exact when `totalExact`; otherwise a lower bound (there are at least this many). */
  total: number;
  totalExact: boolean;
  venues: VenueRow[];
}

/** A search's bind values by parameter name; only the filters present have one. */
type SearchParameters = Record<string, unknown>;

/**
 * All that decides the text of a search's page statement. The statement is built from this
 * alone, never from the values, so a text kept under its key is what a fresh build would give
 * for any search of the same shape.
 */
interface StatementShape {
  /** The bound parameter names: which filters are present, how many add-ons, how many longitude ranges. */
  bound: ReadonlySet<string>;
  /** Also decides how the total is counted. */
  sort: DiscoverySort;
  /** TypeORM writes LIMIT and OFFSET as literals, so the page window is part of the text. */
  limit: number;
  offset: number;
}

type PageRow = VenueRow & { total: number };

type Builder = SelectQueryBuilder<ObjectLiteral>;

/** The searches of the committed SQL snapshot (city 1 is Berlin). */
const CITY_ONLY: VenueSearch = { cityId: 1, sort: 'relevance', limit: 20, offset: 0 };
const EVERY_FILTER: VenueSearch = {
  cityId: 1,
  guests: 50,
  minCapacity: 40,
  maxCapacity: 400,
  categoryIds: [2, 5],
  addOnIds: [1, 3],
  minPrice: 10000,
  maxPrice: 300000,
  instantBook: true,
  sort: 'price_asc',
  limit: 20,
  offset: 40,
};
const NEAR_BERLIN_AVAILABLE: VenueSearch = {
  cityId: 1,
  guests: 20,
  addOnIds: [1],
  position: { lat: 52.52, lng: 13.405 },
  radiusKm: 10,
  availableOn: { date: '2026-12-10', holidayCityIds: [] },
  sort: 'distance',
  limit: 20,
  offset: 0,
};
const ACROSS_THE_ANTIMERIDIAN: VenueSearch = {
  position: { lat: -17.7, lng: 179.9 },
  radiusKm: 50,
  availableOn: { date: '2026-12-10', holidayCityIds: [3, 7] },
  sort: 'rating',
  limit: 20,
  offset: 0,
};
const PAST_THE_END: VenueSearch = { cityId: 1, sort: 'capacity_desc', limit: 20, offset: 100000 };

/**
 * How far past the requested page matches are counted: the total is exact up to the end of the
 * fifth page after the requested one's start, and beyond that "at least" (Elasticsearch's
 * track_total_hits, measured per page). Counting every match made a search's cost grow with its
 * city (issue 13: 5x from medium to large); this keeps it proportional to the page's position.
 */
export const COUNT_AHEAD_PAGES = 5;

const CENTER_LAT = ':centerLat::float8';
const CENTER_LNG = ':centerLng::float8';

/**
 * Page statements kept by shape: at 2–7 KB of text each, at most ~4 MB. The bound stops a stream
 * of distinct shapes (filter combinations × add-on counts × sorts × page windows) from growing memory.
 */
const MAX_KEPT_STATEMENTS = 500;

@Injectable()
export class DiscoveryRepository {
  private readonly pageStatements: PageStatements;

  constructor(
    @InjectRepository(Venue) private readonly venues: Repository<Venue>,
    private readonly unitOfWork: UnitOfWork,
  ) {
    this.pageStatements = new PageStatements(venues, unitOfWork);
  }

  /**
   * One page of active venues matching `search`, in its order, with the total over all pages:
   * one statement, whose cover photo and add-on lookups run for the page's rows only. Runs on
   * the open session. The generated SQL is committed in discovery.repository.sql.
   */
  @GenerateSql(
    { name: 'city only, default sort', params: [CITY_ONLY] },
    { name: 'city only, another city: the first statement reused with its own value', params: [{ ...CITY_ONLY, cityId: 2 }] },
    { name: 'every scalar filter and list filter, price_asc, page 3', params: [EVERY_FILTER], rows: [[{ total: 41 }]] },
    { name: 'city + date + guests + addOns + sort=distance + radiusKm, onlyAvailable', params: [NEAR_BERLIN_AVAILABLE] },
    { name: 'position only, radius across the antimeridian, onlyAvailable with holiday cities', params: [ACROSS_THE_ANTIMERIDIAN] },
    { name: 'page past the end (second statement: the count)', params: [PAST_THE_END], rows: [[], [{ total: 0 }]] },
  )
  async searchVenues(search: VenueSearch): Promise<VenuePage> {
    const parameters = parametersOf(search);
    const rows = await this.pageStatements.of(search, parameters).rows<PageRow>(parameters);
    const total = rows.length === 0 && search.offset > 0 ? await this.countVenues(search) : (rows[0]?.total ?? 0);
    return { total, totalExact: isExact(total, search), venues: rows.map(({ total: _total, ...venue }) => venue) };
  }

  /** Only for a page past the end, where the page statement returns no row to carry the total. */
  @GenerateSql({ name: 'every scalar filter and list filter', params: [EVERY_FILTER], rows: [[{ total: 41 }]] })
  private async countVenues(search: VenueSearch): Promise<number> {
    const parameters = parametersOf(search);
    const bound = new Set(Object.keys(parameters));
    const counted = this.venues.manager
      .createQueryBuilder(this.unitOfWork.queryRunner)
      .select('count(*)::int', 'total')
      .from((matches) => countedMatches(matches, bound, search.sort, countLimit(search)), 'counted')
      .setParameters(parameters);
    const { total } = (await counted.getRawOne<{ total: number }>())!;
    return total;
  }
}

/**
 * The page statement's text per shape, built once: building it costs 0.2–0.4 ms of CPU, which
 * every cache miss would pay again; binding a search's values to a kept text, ~0.02 ms (1,000
 * calls with the snapshot's every-filter search; the old hand-assembled string took ~0.002 ms).
 */
class PageStatements {
  private readonly byShape = new BoundedMemoryStore<ReusableStatement>(MAX_KEPT_STATEMENTS);

  constructor(
    private readonly venues: Repository<Venue>,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** The page statement of the shape of `search`, whose bound values are `parameters`. */
  of(search: VenueSearch, parameters: Record<string, unknown>): ReusableStatement {
    const shape: StatementShape = { bound: new Set(Object.keys(parameters)), sort: search.sort, limit: search.limit, offset: search.offset };
    const key = [...shape.bound, shape.sort, shape.limit, shape.offset].join(' ');
    let statement = this.byShape.get(key);
    if (statement === undefined) {
      statement = new ReusableStatement(this.unitOfWork, () => pageStatement(this.venues.createQueryBuilder('venue'), shape));
      this.byShape.set(key, statement);
    }
    return statement;
  }
}

function pageStatement(statement: SelectQueryBuilder<Venue>, { bound, sort, limit, offset }: StatementShape): SelectQueryBuilder<Venue> {
  // The page is chosen on columns the covering index holds (no heap visit per candidate), then
  // the page's rows alone are read from the table. The total: a distance sort reads and sorts
  // every candidate anyway, so count(*) OVER () comes free with it; any other sort reads its
  // index only up to LIMIT, and a separate index-only count is cheaper than making it read all
  // (measured on the medium dataset: docs/discovery-sql.md).
  const countInWindow = sort === 'distance';
  const distance = bound.has('centerLat') ? `round(${greatCircleKmSql('v.lat', 'v.lng', CENTER_LAT, CENTER_LNG)}::numeric, 1)::float8` : 'NULL::float8';
  selectCardColumns(statement)
    .addSelect('page.distance_km', 'distanceKm')
    .addSelect(coverPhotoUrl, 'coverPhotoUrl')
    .addSelect(`ARRAY${addOnSlugs(statement.subQuery()).getQuery()}`, 'addOns')
    .addSelect(countInWindow ? 'page.total::int' : `(SELECT count(*) FROM ${countedMatches(statement.subQuery(), bound, sort, countLimit({ sort, limit, offset })).getQuery()} counted)::int`, 'total')
    .innerJoin(
      (page) => {
        page.select('v.id', 'id').addSelect(distance, 'distance_km').from(Venue, 'v');
        if (countInWindow) page.addSelect('count(*) OVER ()', 'total');
        return orderBy(whereMatches(page, bound), sort, 'v', distance).limit(limit).offset(offset);
      },
      'page',
      'page.id = venue.id',
    )
    .innerJoin('venue.city', 'city')
    .innerJoin('venue.category', 'category');
  return orderBy(statement, sort, 'venue', 'page.distance_km');
}

/**
 * The matches a total counts: at most `countLimit` of them, taken in the page's own order so that
 * PostgreSQL walks the same covering sort index as the page and stops at the limit (unordered, it
 * preferred hashing every venue offering an add-on, in all cities).
 */
function countedMatches(qb: Builder, bound: ReadonlySet<string>, sort: DiscoverySort, countLimit: number | undefined): Builder {
  const matches = whereMatches(qb.select('1').from(Venue, 'v'), bound);
  return countLimit === undefined ? matches : orderBy(matches, sort, 'v', 'NULL').limit(countLimit);
}

/**
 * How many matches a search counts at most: one more than COUNT_AHEAD_PAGES pages past the start
 * of its page, so that reaching the limit says "more than that". A distance sort reads every
 * candidate within its radius to order them anyway, and counts them all.
 */
function countLimit({ sort, limit, offset }: Pick<VenueSearch, 'sort' | 'limit' | 'offset'>): number | undefined {
  return sort === 'distance' ? undefined : offset + COUNT_AHEAD_PAGES * limit + 1;
}

function isExact(total: number, search: VenueSearch): boolean {
  const counted = countLimit(search);
  return counted === undefined || total < counted;
}

/** The bind values of `search` by name, leaving out the filters it does not set. */
function parametersOf(search: VenueSearch): SearchParameters {
  const { position, radiusKm, availableOn } = search;
  const box = position && radiusKm !== undefined ? boundingBox(position, radiusKm) : undefined;
  const parameters: SearchParameters = {
    cityId: search.cityId,
    guests: search.guests,
    minCapacity: search.minCapacity,
    maxCapacity: search.maxCapacity,
    categoryIds: search.categoryIds,
    ...Object.fromEntries((search.addOnIds ?? []).map((addOnId, index) => [`addOn${index}`, addOnId])),
    minPrice: search.minPrice,
    maxPrice: search.maxPrice,
    instantBook: search.instantBook,
    centerLat: position?.lat,
    centerLng: position?.lng,
    minLat: box?.minLat,
    maxLat: box?.maxLat,
    ...Object.fromEntries((box?.lngRanges ?? []).flatMap(([west, east], index) => [[`west${index}`, west], [`east${index}`, east]])),
    radiusKm: box && radiusKm,
    availableOn: availableOn?.date,
    holidayCityIds: availableOn?.holidayCityIds.length ? availableOn.holidayCityIds : undefined,
  };
  return Object.fromEntries(Object.entries(parameters).filter(([, value]) => value !== undefined));
}

/** `prefix0`, `prefix1`, … for as long as they are bound. */
function numbered(bound: ReadonlySet<string>, prefix: string): string[] {
  const names: string[] = [];
  while (bound.has(`${prefix}${names.length}`)) names.push(`${prefix}${names.length}`);
  return names;
}

/** The cover photo is the one at the lowest position. */
function coverPhotoUrl(qb: Builder): Builder {
  return qb.select('photo.url').from(VenuePhoto, 'photo').where('photo.venueId = venue.id').orderBy('photo.position').limit(1);
}

function addOnSlugs(qb: Builder): Builder {
  return qb.select('add_on.slug').from(VenueAddOn, 'offered').innerJoin('offered.addOn', 'add_on').where('offered.venueId = venue.id').orderBy('add_on.slug');
}

/** Sort keys of each order, ending with the id tie-break; `distance` is the rounded km column. */
function orderBy<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, sort: DiscoverySort, alias: string, distance: string): SelectQueryBuilder<T> {
  switch (sort) {
    case 'relevance':
      return qb.orderBy(`${alias}.rating`, 'DESC', 'NULLS LAST').addOrderBy(`${alias}.reviewCount`, 'DESC').addOrderBy(`${alias}.id`);
    case 'rating':
      return qb.orderBy(`${alias}.rating`, 'DESC', 'NULLS LAST').addOrderBy(`${alias}.id`);
    case 'price_asc':
      return qb.orderBy(`${alias}.basePriceCents`).addOrderBy(`${alias}.id`);
    case 'price_desc':
      return qb.orderBy(`${alias}.basePriceCents`, 'DESC').addOrderBy(`${alias}.id`);
    case 'capacity_desc':
      return qb.orderBy(`${alias}.maxCapacity`, 'DESC').addOrderBy(`${alias}.id`);
    case 'distance':
      return qb.orderBy(distance).addOrderBy(`${alias}.id`);
  }
}

/** The conditions of the bound filters, on the `v` alias of `qb` (a query over venues). */
function whereMatches<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, bound: ReadonlySet<string>): SelectQueryBuilder<T> {
  qb.where('v.isActive');
  if (bound.has('cityId')) qb.andWhere('v.cityId = :cityId::int');
  if (bound.has('guests')) qb.andWhere('v.minCapacity <= :guests::int').andWhere('v.maxCapacity >= :guests::int');
  if (bound.has('minCapacity')) qb.andWhere('v.maxCapacity >= :minCapacity::int');
  if (bound.has('maxCapacity')) qb.andWhere('v.maxCapacity <= :maxCapacity::int');
  if (bound.has('categoryIds')) qb.andWhere('v.categoryId = ANY(:categoryIds::int[])');
  // Offers all of them: one semi-join per add-on. The planner costs these as the cheap primary-key
  // probes they are; a per-venue count subquery it costs as if it ran for every row of the city,
  // and then prefers bitmap plans that visit the heap (measured: docs/discovery-sql.md).
  for (const addOn of numbered(bound, 'addOn')) {
    const offered = qb.subQuery().select('1').from(VenueAddOn, 'offered').where('offered.venueId = v.id').andWhere(`offered.addOnId = :${addOn}::int`);
    qb.andWhere(`EXISTS ${offered.getQuery()}`);
  }
  if (bound.has('minPrice')) qb.andWhere('v.basePriceCents >= :minPrice::int');
  if (bound.has('maxPrice')) qb.andWhere('v.basePriceCents <= :maxPrice::int');
  if (bound.has('instantBook')) qb.andWhere('v.instantBook = :instantBook::boolean');
  if (bound.has('radiusKm')) whereWithinRadius(qb, bound);
  if (bound.has('availableOn')) qb.andWhere(hasFreeSlotSql(qb, 'v.id', ':availableOn::date'));
  if (bound.has('holidayCityIds')) qb.andWhere('v.cityId <> ALL(:holidayCityIds::int[])');
  return qb;
}

/** A bounding box the (lat, lng) index can answer, then the exact great-circle test. */
function whereWithinRadius<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, bound: ReadonlySet<string>): void {
  qb.andWhere('v.lat BETWEEN :minLat::float8 AND :maxLat::float8');
  const wests = numbered(bound, 'west');
  if (wests.length > 0) {
    qb.andWhere(new Brackets((ranges) => wests.forEach((west, index) => ranges.orWhere(`v.lng BETWEEN :${west}::float8 AND :east${index}::float8`))));
  }
  qb.andWhere(`${greatCircleKmSql('v.lat', 'v.lng', CENTER_LAT, CENTER_LNG)} <= :radiusKm::float8`);
}
