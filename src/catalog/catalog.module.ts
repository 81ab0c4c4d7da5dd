import { Global, Module } from '@nestjs/common';
import { CatalogRepository } from './catalog.repository';
import { ReferenceCatalog } from './reference-catalog';

/** The in-memory slug catalog; global because discovery, detail and bookings all resolve slugs. */
@Global()
@Module({
  providers: [CatalogRepository, ReferenceCatalog],
  exports: [ReferenceCatalog],
})
export class CatalogModule {}
