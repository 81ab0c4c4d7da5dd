import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AvailabilityRepository } from './availability.repository';
import { Booking } from './entities/booking.entity';
import { Review } from './entities/review.entity';
import { VenueAddOn } from './entities/venue-add-on.entity';
import { VenueBlackout } from './entities/venue-blackout.entity';
import { VenuePhoto } from './entities/venue-photo.entity';
import { VenuePriceOverride } from './entities/venue-price-override.entity';
import { VenueSlot } from './entities/venue-slot.entity';
import { Venue } from './entities/venue.entity';

/**
 * The venue domain discovery, detail, bookings and favorites share: the venue entities and the
 * bookings that make its slots unavailable (exported with their repositories), and slot
 * availability and pricing per date.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Venue, VenuePhoto, VenueAddOn, VenueSlot, VenueBlackout, VenuePriceOverride, Review, Booking])],
  providers: [AvailabilityRepository],
  exports: [TypeOrmModule, AvailabilityRepository],
})
export class VenueDomainModule {}
