import { User } from './auth/entities/user.entity';
import { Booking } from './venue-domain/entities/booking.entity';
import { IdempotencyKey } from './bookings/entities/idempotency-key.entity';
import { Favorite } from './favorites/entities/favorite.entity';
import { AddOn } from './reference/entities/add-on.entity';
import { AppConfigEntry } from './reference/entities/app-config-entry.entity';
import { Category } from './reference/entities/category.entity';
import { City } from './reference/entities/city.entity';
import { PublicHoliday } from './reference/entities/public-holiday.entity';
import { Review } from './venue-domain/entities/review.entity';
import { VenueAddOn } from './venue-domain/entities/venue-add-on.entity';
import { VenueBlackout } from './venue-domain/entities/venue-blackout.entity';
import { VenuePhoto } from './venue-domain/entities/venue-photo.entity';
import { VenuePriceOverride } from './venue-domain/entities/venue-price-override.entity';
import { VenueSlot } from './venue-domain/entities/venue-slot.entity';
import { Venue } from './venue-domain/entities/venue.entity';

/**
 * Every entity of the app, for the DataSources built outside Nest (the migration CLI, the
 * schema-agreement test, the SQL snapshots). Inside the app each feature module registers its own
 * with TypeOrmModule.forFeature and the data source collects them (autoLoadEntities).
 */
export const appEntities = [
  City, Category, AddOn, PublicHoliday, AppConfigEntry,
  User,
  Venue, VenuePhoto, VenueAddOn, VenueSlot, VenueBlackout, VenuePriceOverride, Review,
  Booking, IdempotencyKey,
  Favorite,
];
