import { Module } from '@nestjs/common';
import { AvailabilityRepository } from './availability.repository';

/** Slot availability and pricing per date, shared by discovery and the venue detail. */
@Module({
  providers: [AvailabilityRepository],
  exports: [AvailabilityRepository],
})
export class VenueDomainModule {}
