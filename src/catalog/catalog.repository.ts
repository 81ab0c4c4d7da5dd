import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface CatalogCity {
  id: number;
  slug: string;
  countryCode: string;
}

export interface CatalogItem {
  id: number;
  slug: string;
}

export interface CatalogRows {
  cities: CatalogCity[];
  categories: CatalogItem[];
  addOns: CatalogItem[];
}

@Injectable()
export class CatalogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The three vocabularies in one statement: a few hundred rows at most. */
  async findAll(): Promise<CatalogRows> {
    const [row] = await this.dataSource.query(`
      SELECT
        (SELECT coalesce(json_agg(json_build_object('id', id, 'slug', slug, 'countryCode', country_code)), '[]') FROM cities) AS cities,
        (SELECT coalesce(json_agg(json_build_object('id', id, 'slug', slug)), '[]') FROM categories) AS categories,
        (SELECT coalesce(json_agg(json_build_object('id', id, 'slug', slug)), '[]') FROM add_ons) AS "addOns"`);
    return row as CatalogRows;
  }
}
