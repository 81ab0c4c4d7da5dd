import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { hasFreeSlotSql } from '../venue-domain/availability.sql';
import type { VenueCardColumns } from '../venue-domain/venue-card';
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

/** Placeholders of the searcher's position, bound once for the radius filter and the distance column. */
interface Center {
  lat: string;
  lng: string;
}

function filtersOf(search: VenueSearch, params: Parameters, center: Center | undefined): string[] {
  const where = ['v.is_active'];
  if (search.cityId !== undefined) where.push(`v.city_id = ${params.add(search.cityId, 'int')}`);
  if (search.guests !== undefined) {
    const guests = params.add(search.guests, 'int');
    where.push(`v.min_capacity <= ${guests}`, `v.max_capacity >= ${guests}`);
  }
  if (search.minCapacity !== undefined) where.push(`v.max_capacity >= ${params.add(search.minCapacity, 'int')}`);
  if (search.maxCapacity !== undefined) where.push(`v.max_capacity <= ${params.add(search.maxCapacity, 'int')}`);
  if (search.categoryIds) where.push(`v.category_id = ANY(${params.add(search.categoryIds, 'int[]')})`);
  for (const addOnId of search.addOnIds ?? []) {
    // Offers all of them: one semi-join per add-on. The planner costs these as the cheap primary-key
    // probes they are; a per-venue count subquery it costs as if it ran for every row of the city,
    // and then prefers bitmap plans that visit the heap (measured: docs/discovery-sql.md).
    where.push(`EXISTS (SELECT FROM venue_add_ons offered WHERE offered.venue_id = v.id AND offered.add_on_id = ${params.add(addOnId, 'int')})`);
  }
  if (search.minPrice !== undefined) where.push(`v.base_price_cents >= ${params.add(search.minPrice, 'int')}`);
  if (search.maxPrice !== undefined) where.push(`v.base_price_cents <= ${params.add(search.maxPrice, 'int')}`);
  if (search.instantBook !== undefined) where.push(`v.instant_book = ${params.add(search.instantBook, 'boolean')}`);
  if (search.position && center && search.radiusKm !== undefined) where.push(...radiusFilters(search.position, center, search.radiusKm, params));
  if (search.availableOn) where.push(...availabilityFilters(search.availableOn, params));
  return where;
}

function centerOf(search: VenueSearch, params: Parameters): Center | undefined {
  return search.position && { lat: params.add(search.position.lat, 'float8'), lng: params.add(search.position.lng, 'float8') };
}

/** A bounding box the (lat, lng) index can answer, then the exact great-circle test. */
function radiusFilters(position: Position, center: Center, radiusKm: number, params: Parameters): string[] {
  const box = boundingBox(position, radiusKm);
  const where = [`v.lat BETWEEN ${params.add(box.minLat, 'float8')} AND ${params.add(box.maxLat, 'float8')}`];
  if (box.lngRanges.length > 0) {
    const ranges = box.lngRanges.map(([west, east]) => `v.lng BETWEEN ${params.add(west, 'float8')} AND ${params.add(east, 'float8')}`);
    where.push(ranges.length === 1 ? ranges[0] : `(${ranges.join(' OR ')})`);
  }
  where.push(`${greatCircleKmSql('v.lat', 'v.lng', center.lat, center.lng)} <= ${params.add(radiusKm, 'float8')}`);
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
   * One page of active venues matching `search`, in its order, with the total over all pages:
   * one statement, whose cover photo and add-on lookups run for the page's rows only. Runs on
   * the caller's session. The generated SQL is committed in discovery.repository.sql.
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
    const where = filtersOf(search, params, centerOf(search, params)).join(' AND ');
    const [{ total }] = await manager.query(`SELECT count(*)::int AS total FROM venues v WHERE ${where}`, params.values);
    return total;
  }
}

function buildSearchStatement(search: VenueSearch): { sql: string; values: unknown[] } {
  const params = new Parameters();
  const center = centerOf(search, params);
  const where = filtersOf(search, params, center).join('\n      AND ');
  const distance = center ? `round(${greatCircleKmSql('v.lat', 'v.lng', center.lat, center.lng)}::numeric, 1)::float8` : 'NULL::float8';
  // The page is chosen on columns the covering index holds (no heap visit per candidate), then
  // the page's rows alone are read from the table. The total: a distance sort reads and sorts
  // every candidate anyway, so count(*) OVER () comes free with it; any other sort reads its
  // index only up to LIMIT, and a separate index-only count is cheaper than making it read all
  // (measured on the medium dataset: docs/discovery-sql.md).
  const countInWindow = search.sort === 'distance';
  const sql = `
    SELECT venue.id, venue.slug, venue.name,
           venue.city_id AS "cityId", city.slug AS "citySlug", city.name AS "cityName", city.country_code AS "countryCode",
           category.slug AS "categorySlug", category.name AS "categoryName",
           venue.min_capacity AS "minCapacity", venue.max_capacity AS "maxCapacity",
           venue.base_price_cents AS "basePriceCents", venue.currency,
           venue.rating::float8 AS rating, venue.review_count AS "reviewCount", venue.instant_book AS "instantBook",
           venue.lat, venue.lng, page.distance_km AS "distanceKm",
           (SELECT photo.url FROM venue_photos photo WHERE photo.venue_id = venue.id ORDER BY photo.position LIMIT 1) AS "coverPhotoUrl",
           ARRAY(SELECT add_on.slug FROM venue_add_ons offered JOIN add_ons add_on ON add_on.id = offered.add_on_id
                 WHERE offered.venue_id = venue.id ORDER BY add_on.slug) AS "addOns",
           ${countInWindow ? 'page.total::int' : `(SELECT count(*) FROM venues v WHERE ${where})::int`} AS total
    FROM (
      SELECT v.id, ${distance} AS distance_km${countInWindow ? ', count(*) OVER () AS total' : ''}
      FROM venues v
      WHERE ${where}
      ORDER BY ${orderBy(search.sort, 'v', distance)}
      LIMIT ${params.add(search.limit, 'int')} OFFSET ${params.add(search.offset, 'int')}
    ) page
    JOIN venues venue ON venue.id = page.id
    JOIN cities city ON city.id = venue.city_id
    JOIN categories category ON category.id = venue.category_id
    ORDER BY ${orderBy(search.sort, 'venue', 'page.distance_km')}`;
  return { sql, values: params.values };
}
