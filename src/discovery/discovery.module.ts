import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import Keyv from 'keyv';
import { VenueDomainModule } from '../venue-domain/venue-domain.module';
import { SharedCacheStore } from '../cache/shared-cache-store';
import { AppConfig } from '../config/app-config';
import { BoundedMemoryStore } from './bounded-memory-store';
import { DiscoveryCache } from './discovery-cache';
import { DiscoveryController } from './discovery.controller';
import { DiscoveryRepository } from './discovery.repository';
import { DiscoveryService } from './discovery.service';

/**
 * In process the entries are kept as objects: Keyv's default JSON round trip on every hit (a
 * ~13 KB body parsed and copied) cost 13% of a cached request's CPU, and the cached values
 * (strings) are immutable, so there is nothing to protect by copying.
 */
function inProcessStore(maxEntries: number): Keyv {
  return new Keyv({ store: new BoundedMemoryStore(maxEntries), serialize: undefined, deserialize: undefined });
}

/**
 * GET /v1/discovery/venues (SPEC §4). The response cache and the city data versions live in the
 * shared Redis store when REDIS_URL is set (so a booking on one instance invalidates every
 * instance), else in process memory.
 */
@Module({
  imports: [
    VenueDomainModule,
    CacheModule.registerAsync({
      inject: [AppConfig, SharedCacheStore],
      useFactory: (config: AppConfig, shared: SharedCacheStore) => ({
        stores: [shared.keyv('discovery') ?? inProcessStore(config.DISCOVERY_CACHE_MAX_ENTRIES)],
      }),
    }),
  ],
  controllers: [DiscoveryController],
  providers: [DiscoveryService, DiscoveryRepository, DiscoveryCache],
  exports: [DiscoveryCache],
})
export class DiscoveryModule {}
