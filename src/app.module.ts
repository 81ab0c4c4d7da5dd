import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { CommonModule } from './common/common.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { ProfilingModule } from './profiling/profiling.module';
import { ReferenceModule } from './reference/reference.module';
import { BookingsModule } from './bookings/bookings.module';
import { SharedCacheModule } from './cache/shared-cache.module';
import { AuthModule } from './auth/auth.module';
import { FavoritesModule } from './favorites/favorites.module';
import { VenuesModule } from './venues/venues.module';
import { DiscoveryModule } from './discovery/discovery.module';

/** Wires the modules together; nothing else lives here. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), LoggingModule, DatabaseModule, ProfilingModule, CommonModule, HealthModule, ReferenceModule, AuthModule, FavoritesModule, DiscoveryModule, VenuesModule, BookingsModule, SharedCacheModule],
    };
  }
}
