import { Global, Module } from '@nestjs/common';
import { AppSettings } from './app-settings';
import { HolidayCalendar } from './holiday-calendar';
import { ReferenceCatalog } from './reference-catalog';
import { ReferenceController } from './reference.controller';
import { ReferenceRepository } from './reference.repository';
import { ReferenceService } from './reference.service';

/**
 * Cities, categories, add-ons, public holidays and app_config: read-only, public, cacheable. The
 * in-memory snapshots (slug catalog, holiday calendar, runtime settings) are global because
 * discovery, detail and bookings all consult them.
 */
@Global()
@Module({
  controllers: [ReferenceController],
  providers: [ReferenceService, ReferenceRepository, HolidayCalendar, ReferenceCatalog, AppSettings],
  exports: [HolidayCalendar, ReferenceCatalog, AppSettings],
})
export class ReferenceModule {}
