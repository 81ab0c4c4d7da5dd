import { Module } from '@nestjs/common';
import { AvailabilityModule } from '../availability/availability.module';
import { VenuesController } from './venues.controller';
import { VenuesRepository } from './venues.repository';
import { VenuesService } from './venues.service';

/** The venue detail (SPEC §6): one authenticated read in one database session. */
@Module({
  imports: [AvailabilityModule],
  controllers: [VenuesController],
  providers: [VenuesService, VenuesRepository],
})
export class VenuesModule {}
