import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Memoized } from '../common/memoized';
import { ReferenceChangeListener } from '../database/reference-change-listener';
import { CatalogCity, CatalogRows, ReferenceRepository } from './reference.repository';

/** Slug → row lookups for the vocabularies request parameters name. */
export interface Catalog {
  cities: ReadonlyMap<string, CatalogCity>;
  categories: ReadonlyMap<string, number>;
  addOns: ReadonlyMap<string, number>;
}

function indexCatalog(rows: CatalogRows): Catalog {
  return {
    cities: new Map(rows.cities.map((city) => [city.slug, city])),
    categories: new Map(rows.categories.map((category) => [category.slug, category.id])),
    addOns: new Map(rows.addOns.map((addOn) => [addOn.slug, addOn.id])),
  };
}

/**
 * Cities, categories and add-ons held in memory, so resolving (or rejecting) the slugs of a
 * request costs no statement. Reloaded when one of the tables changes (NOTIFY from its trigger)
 * or after CATALOG_TTL_S.
 */
@Injectable()
export class ReferenceCatalog {
  private readonly catalog: Memoized<Catalog>;

  constructor(repository: ReferenceRepository, changes: ReferenceChangeListener, config: AppConfig) {
    this.catalog = changes.snapshot({
      name: 'reference catalog',
      tables: ['cities', 'categories', 'add_ons'],
      ttlMs: config.CATALOG_TTL_S * 1000,
      load: async () => indexCatalog(await repository.findCatalog()),
    });
  }

  current(): Promise<Catalog> {
    return this.catalog.get();
  }

  /** Reloads now; for callers that just changed the tables and must see it (tests, admin tools). */
  async refresh(): Promise<void> {
    await this.catalog.refresh();
  }
}
