import { Global, Module } from '@nestjs/common';
import { SharedCacheStore } from './shared-cache-store';
import { SharedThrottlerStorage } from './shared-throttler-storage';

/**
 * The Redis connection every cache and attempt counter of the process shares (one client, one
 * reconnect loop, one circuit breaker, one health).
 */
@Global()
@Module({
  providers: [SharedCacheStore, SharedThrottlerStorage],
  exports: [SharedCacheStore, SharedThrottlerStorage],
})
export class SharedCacheModule {}
