import { Module } from '@nestjs/common';
import { AvailabilityModule } from '../availability/availability.module';
import { BookingsController } from './bookings.controller';
import { BookingsRepository } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { IdempotencyKeyPurger } from './idempotency-key-purger';

/** The write path (SPEC §7): POST /v1/venues/:idOrSlug/bookings, GET /v1/me/bookings, DELETE /v1/bookings/:id. */
@Module({
  imports: [AvailabilityModule],
  controllers: [BookingsController],
  providers: [BookingsService, BookingsRepository, IdempotencyKeyPurger],
})
export class BookingsModule {}
