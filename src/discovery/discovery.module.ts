import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import Keyv from 'keyv';
import { AvailabilityModule } from '../availability/availability.module';
import { AppConfig } from '../config/app-config';
import { BoundedMemoryStore } from './bounded-memory-store';
import { DiscoveryCache } from './discovery-cache';
import { DiscoveryController } from './discovery.controller';
import { DiscoveryRepository } from './discovery.repository';
import { DiscoveryService } from './discovery.service';

/**
 * GET /v1/discovery/venues (SPEC §4). The response cache is in process memory for now; a shared
 * store (Redis, SPEC §2 scale-out) replaces the Keyv store here and nothing else.
 */
@Module({
  imports: [
    AvailabilityModule,
    CacheModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ stores: [new Keyv({ store: new BoundedMemoryStore(config.DISCOVERY_CACHE_MAX_ENTRIES) })] }),
    }),
  ],
  controllers: [DiscoveryController],
  providers: [DiscoveryService, DiscoveryRepository, DiscoveryCache],
  exports: [DiscoveryCache],
})
export class DiscoveryModule {}
