import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import Keyv from 'keyv';
import { VenueDomainModule } from '../venue-domain/venue-domain.module';
import { SharedCacheStore } from '../cache/shared-cache-store';
import { AppConfig } from '../config/app-config';
import { ProfilingMetrics } from '../profiling/profiling.metrics';
import { DiscoveryCache } from './discovery-cache';
import { DiscoveryController } from './discovery.controller';
import { DiscoveryRepository } from './discovery.repository';
import { DiscoveryService } from './discovery.service';
import { exposeResponseCacheMetrics } from './response-cache-metrics';
import { ResponseMemoryStore } from './response-memory-store';

/**
 * In process Keyv does not serialize: its default JSON round trip on every hit (a ~13 KB body
 * parsed and copied) cost 13% of a cached request's CPU. The store keeps each body as bytes.
 */
function inProcessStore(config: AppConfig, metrics: ProfilingMetrics): Keyv {
  const store = new ResponseMemoryStore(config.DISCOVERY_CACHE_MAX_BYTES, config.DISCOVERY_CACHE_MAX_ENTRIES);
  exposeResponseCacheMetrics(metrics.registry, store);
  return new Keyv({ store, serialize: undefined, deserialize: undefined });
}

/**
 * GET /v1/discovery/venues (SPEC §4). The response cache and the city data versions live in the
 * shared Redis store when REDIS_URL is set (so a booking on one instance invalidates every
 * instance; Redis's own maxmemory bounds them there), else in process memory, bounded in bytes.
 */
@Module({
  imports: [
    VenueDomainModule,
    CacheModule.registerAsync({
      inject: [AppConfig, SharedCacheStore, ProfilingMetrics],
      useFactory: (config: AppConfig, shared: SharedCacheStore, metrics: ProfilingMetrics) => ({
        stores: [shared.keyv('discovery') ?? inProcessStore(config, metrics)],
      }),
    }),
  ],
  controllers: [DiscoveryController],
  providers: [DiscoveryService, DiscoveryRepository, DiscoveryCache],
  exports: [DiscoveryCache],
})
export class DiscoveryModule {}
