import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppSettings } from './app-settings';
import { HolidayCalendar } from './holiday-calendar';
import { ReferenceCatalog } from './reference-catalog';
import { ReferenceController } from './reference.controller';
import { ReferenceRepository } from './reference.repository';
import { ReferenceService } from './reference.service';
import { AddOn } from './entities/add-on.entity';
import { AppConfigEntry } from './entities/app-config-entry.entity';
import { Category } from './entities/category.entity';
import { City } from './entities/city.entity';
import { PublicHoliday } from './entities/public-holiday.entity';

/**
 * Cities, categories, add-ons, public holidays and app_config: read-only, public, cacheable. The
 * in-memory snapshots (slug catalog, holiday calendar, runtime settings) are global because
 * discovery, detail and bookings all consult them.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([City, Category, AddOn, PublicHoliday, AppConfigEntry])],
  controllers: [ReferenceController],
  providers: [ReferenceService, ReferenceRepository, HolidayCalendar, ReferenceCatalog, AppSettings],
  exports: [HolidayCalendar, ReferenceCatalog, AppSettings],
})
export class ReferenceModule {}
