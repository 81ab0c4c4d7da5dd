import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Discovery indexes measured on the medium dataset (docs/discovery-sql.md).
 *
 * - The two sorts whose order no index gave: price_desc (the price index read backwards breaks
 *   price ties by id descending, so every candidate had to be sorted) and rating.
 * - Covering indexes for the search's filter and sort columns, one led by the city and one by
 *   position (replacing the plain (lat, lng) index), so the total and the choice of a page are
 *   index-only scans: the table is not in city order, so visiting the heap for a city's ~1,000
 *   candidates touched ~950 pages, and that, not the counting itself, made the total expensive.
 *   The city index is led by (city_id, lat) so a radius search within a city narrows on both.
 */
export class DiscoveryIndexes1795761700000 implements MigrationInterface {
  name = 'DiscoveryIndexes1795761700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX venues_city_price_desc_idx ON venues (city_id, base_price_cents DESC, id) WHERE is_active;
      CREATE INDEX venues_city_rating_idx ON venues (city_id, rating DESC NULLS LAST, id) WHERE is_active;
      CREATE INDEX venues_city_search_idx ON venues (city_id, lat)
        INCLUDE (lng, id, category_id, min_capacity, max_capacity, base_price_cents, instant_book, rating, review_count)
        WHERE is_active;
      CREATE INDEX venues_location_search_idx ON venues (lat, lng)
        INCLUDE (id, city_id, category_id, min_capacity, max_capacity, base_price_cents, instant_book, rating, review_count)
        WHERE is_active;
      DROP INDEX venues_location_idx;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX venues_location_idx ON venues (lat, lng) WHERE is_active;
      DROP INDEX venues_location_search_idx, venues_city_search_idx, venues_city_rating_idx, venues_city_price_desc_idx;
    `);
  }
}
