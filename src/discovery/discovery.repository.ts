import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { hasFreeSlotSql } from '../availability/availability.sql';
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
export interface VenueRow {
  id: number;
  slug: string;
  name: string;
  cityId: number;
  citySlug: string;
  cityName: string;
  countryCode: string;
  categorySlug: string;
  categoryName: string;
  minCapacity: number;
  maxCapacity: number;
  basePriceCents: number;
  currency: string;
  rating: number | null;
  reviewCount: number;
  instantBook: boolean;
  lat: number;
  lng: number;
  distanceKm: number | null;
  coverPhotoUrl: string | null;
  addOns: string[];
}

export interface VenuePage {
  total: number;
  venues: VenueRow[];
}

/** Collects bind parameters while a statement is assembled; returns the placeholder of each. */
class Parameters {
  readonly values: unknown[] = [];

  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

/** Sort keys of each order, ending with the id tie-break; `distance` is the rounded km column. */
function orderBy(sort: DiscoverySort, alias: string, distance: string): string {
  switch (sort) {
    case 'relevance':
      return `${alias}.rating DESC NULLS LAST, ${alias}.review_count DESC, ${alias}.id`;
    case 'rating':
      return `${alias}.rating DESC NULLS LAST, ${alias}.id`;
    case 'price_asc':
      return `${alias}.base_price_cents, ${alias}.id`;
    case 'price_desc':
      return `${alias}.base_price_cents DESC, ${alias}.id`;
    case 'capacity_desc':
      return `${alias}.max_capacity DESC, ${alias}.id`;
    case 'distance':
      return `${distance}, ${alias}.id`;
  }
}

function filtersOf(search: VenueSearch, params: Parameters): string[] {
  const where = ['v.is_active'];
  if (search.cityId !== undefined) where.push(`v.city_id = ${params.add(search.cityId, 'int')}`);
  if (search.guests !== undefined) {
    const guests = params.add(search.guests, 'int');
    where.push(`v.min_capacity <= ${guests}`, `v.max_capacity >= ${guests}`);
  }
  if (search.minCapacity !== undefined) where.push(`v.max_capacity >= ${params.add(search.minCapacity, 'int')}`);
  if (search.maxCapacity !== undefined) where.push(`v.max_capacity <= ${params.add(search.maxCapacity, 'int')}`);
  if (search.categoryIds) where.push(`v.category_id = ANY(${params.add(search.categoryIds, 'int[]')})`);
  if (search.addOnIds) {
    // Offers all of them: a probe of venue_add_ons' primary key per candidate venue.
    where.push(
      `(SELECT count(*) FROM venue_add_ons va WHERE va.venue_id = v.id AND va.add_on_id = ANY(${params.add(search.addOnIds, 'int[]')})) = ${params.add(search.addOnIds.length, 'int')}`,
    );
  }
  if (search.minPrice !== undefined) where.push(`v.base_price_cents >= ${params.add(search.minPrice, 'int')}`);
  if (search.maxPrice !== undefined) where.push(`v.base_price_cents <= ${params.add(search.maxPrice, 'int')}`);
  if (search.instantBook !== undefined) where.push(`v.instant_book = ${params.add(search.instantBook, 'boolean')}`);
  if (search.position && search.radiusKm !== undefined) where.push(...radiusFilters(search.position, search.radiusKm, params));
  if (search.availableOn) where.push(...availabilityFilters(search.availableOn, params));
  return where;
}

/** A bounding box the (lat, lng) index can answer, then the exact great-circle test. */
function radiusFilters(center: Position, radiusKm: number, params: Parameters): string[] {
  const box = boundingBox(center, radiusKm);
  const where = [`v.lat BETWEEN ${params.add(box.minLat, 'float8')} AND ${params.add(box.maxLat, 'float8')}`];
  if (box.lngRanges.length > 0) {
    const ranges = box.lngRanges.map(([west, east]) => `v.lng BETWEEN ${params.add(west, 'float8')} AND ${params.add(east, 'float8')}`);
    where.push(ranges.length === 1 ? ranges[0] : `(${ranges.join(' OR ')})`);
  }
  const distance = greatCircleKmSql('v.lat', 'v.lng', params.add(center.lat, 'float8'), params.add(center.lng, 'float8'));
  where.push(`${distance} <= ${params.add(radiusKm, 'float8')}`);
  return where;
}

function availabilityFilters({ date, holidayCityIds }: NonNullable<VenueSearch['availableOn']>, params: Parameters): string[] {
  const where = [hasFreeSlotSql('v.id', params.add(date, 'date'))];
  if (holidayCityIds.length > 0) where.push(`v.city_id <> ALL(${params.add(holidayCityIds, 'int[]')})`);
  return where;
}

@Injectable()
export class DiscoveryRepository {
  /**
   * One page of active venues matching `search`, in its order, with the total over all pages.
   * One statement: the page (an index scan in sort order that stops at LIMIT) joined to its
   * city and category, the cover photo and the add-on slugs looked up for the page's rows only,
   * and the total as an uncorrelated subquery PostgreSQL runs once (see docs/discovery-sql.md
   * for why not count(*) OVER ()). Runs on the caller's session.
   */
  async searchVenues(manager: EntityManager, search: VenueSearch): Promise<VenuePage> {
    const { sql, values } = buildSearchStatement(search);
    const rows: Array<VenueRow & { total: number }> = await manager.query(sql, values);
    if (rows.length === 0 && search.offset > 0) return { total: await this.countVenues(manager, search), venues: [] };
    return { total: rows[0]?.total ?? 0, venues: rows.map(({ total: _total, ...venue }) => venue) };
  }

  /** Only for a page past the end, where the page statement returns no row to carry the total. */
  private async countVenues(manager: EntityManager, search: VenueSearch): Promise<number> {
    const params = new Parameters();
    const [{ total }] = await manager.query(`SELECT count(*)::int AS total FROM venues v WHERE ${filtersOf(search, params).join(' AND ')}`, params.values);
    return total;
  }
}

export function buildSearchStatement(search: VenueSearch): { sql: string; values: unknown[] } {
  const params = new Parameters();
  const where = filtersOf(search, params).join('\n      AND ');
  const distance = search.position
    ? `round(${greatCircleKmSql('v.lat', 'v.lng', params.add(search.position.lat, 'float8'), params.add(search.position.lng, 'float8'))}::numeric, 1)::float8`
    : 'NULL::float8';
  const sql = `
    SELECT page.id, page.slug, page.name,
           page.city_id AS "cityId", city.slug AS "citySlug", city.name AS "cityName", city.country_code AS "countryCode",
           category.slug AS "categorySlug", category.name AS "categoryName",
           page.min_capacity AS "minCapacity", page.max_capacity AS "maxCapacity",
           page.base_price_cents AS "basePriceCents", page.currency,
           page.rating::float8 AS rating, page.review_count AS "reviewCount", page.instant_book AS "instantBook",
           page.lat, page.lng, page.distance_km AS "distanceKm",
           (SELECT photo.url FROM venue_photos photo WHERE photo.venue_id = page.id ORDER BY photo.position LIMIT 1) AS "coverPhotoUrl",
           ARRAY(SELECT add_on.slug FROM venue_add_ons offered JOIN add_ons add_on ON add_on.id = offered.add_on_id
                 WHERE offered.venue_id = page.id ORDER BY add_on.slug) AS "addOns",
           (SELECT count(*) FROM venues v WHERE ${where})::int AS total
    FROM (
      SELECT v.id, v.slug, v.name, v.city_id, v.category_id, v.min_capacity, v.max_capacity, v.base_price_cents, v.currency,
             v.rating, v.review_count, v.instant_book, v.lat, v.lng, ${distance} AS distance_km
      FROM venues v
      WHERE ${where}
      ORDER BY ${orderBy(search.sort, 'v', distance)}
      LIMIT ${params.add(search.limit, 'int')} OFFSET ${params.add(search.offset, 'int')}
    ) page
    JOIN cities city ON city.id = page.city_id
    JOIN categories category ON category.id = page.category_id
    ORDER BY ${orderBy(search.sort, 'page', 'page.distance_km')}`;
  return { sql, values: params.values };
}
