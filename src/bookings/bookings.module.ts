import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VenueDomainModule } from '../venue-domain/venue-domain.module';
import { DiscoveryModule } from '../discovery/discovery.module';
import { BookingsController } from './bookings.controller';
import { BookingsRepository } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { IdempotencyKeyPurger } from './idempotency-key-purger';
import { IdempotencyKey } from './entities/idempotency-key.entity';

/** The write path (SPEC §7): POST /v1/venues/:idOrSlug/bookings, GET /v1/me/bookings, DELETE /v1/bookings/:id. */
@Module({
  // DiscoveryModule for its cache: a booking or cancellation bumps its city's data version.
  imports: [TypeOrmModule.forFeature([IdempotencyKey]), VenueDomainModule, DiscoveryModule],
  controllers: [BookingsController],
  providers: [BookingsService, BookingsRepository, IdempotencyKeyPurger],
})
export class BookingsModule {}
