import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The city's sort indexes carry the filter columns (INCLUDE), so a page and its bounded total are
 * read in sort order from the index alone and stop after the rows they need (issue 13). Without
 * them PostgreSQL had two bad choices on a large city: walk the sort index and visit the table for
 * every candidate's capacity, price and instant-book flag (36 ms for one page with a selective
 * add-on filter on `large`, most of it heap reads), or read the whole city from the covering
 * search index and sort it (cost growing with the city). docs/discovery-sql.md has the plans.
 */
export class CoveringSortIndexes1795761800000 implements MigrationInterface {
  name = 'CoveringSortIndexes1795761800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX venues_city_relevance_idx, venues_city_rating_idx, venues_city_price_idx, venues_city_price_desc_idx, venues_city_capacity_idx;
      CREATE INDEX venues_city_relevance_idx ON venues (city_id, rating DESC NULLS LAST, review_count DESC, id)
        INCLUDE (category_id, min_capacity, max_capacity, base_price_cents, instant_book) WHERE is_active;
      CREATE INDEX venues_city_rating_idx ON venues (city_id, rating DESC NULLS LAST, id)
        INCLUDE (category_id, min_capacity, max_capacity, base_price_cents, instant_book) WHERE is_active;
      CREATE INDEX venues_city_price_idx ON venues (city_id, base_price_cents, id)
        INCLUDE (category_id, min_capacity, max_capacity, instant_book) WHERE is_active;
      CREATE INDEX venues_city_price_desc_idx ON venues (city_id, base_price_cents DESC, id)
        INCLUDE (category_id, min_capacity, max_capacity, instant_book) WHERE is_active;
      CREATE INDEX venues_city_capacity_idx ON venues (city_id, max_capacity DESC, id)
        INCLUDE (category_id, min_capacity, base_price_cents, instant_book) WHERE is_active;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX venues_city_relevance_idx, venues_city_rating_idx, venues_city_price_idx, venues_city_price_desc_idx, venues_city_capacity_idx;
      CREATE INDEX venues_city_relevance_idx ON venues (city_id, rating DESC NULLS LAST, review_count DESC, id) WHERE is_active;
      CREATE INDEX venues_city_rating_idx ON venues (city_id, rating DESC NULLS LAST, id) WHERE is_active;
      CREATE INDEX venues_city_price_idx ON venues (city_id, base_price_cents, id) WHERE is_active;
      CREATE INDEX venues_city_price_desc_idx ON venues (city_id, base_price_cents DESC, id) WHERE is_active;
      CREATE INDEX venues_city_capacity_idx ON venues (city_id, max_capacity DESC, id) WHERE is_active;
    `);
  }
}
