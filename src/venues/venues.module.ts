import { Module } from '@nestjs/common';
import { VenueDomainModule } from '../venue-domain/venue-domain.module';
import { VenuesController } from './venues.controller';
import { VenuesRepository } from './venues.repository';
import { VenuesService } from './venues.service';

/** The venue detail (SPEC §6): one authenticated read in one database session. */
@Module({
  imports: [VenueDomainModule],
  controllers: [VenuesController],
  providers: [VenuesService, VenuesRepository],
})
export class VenuesModule {}
