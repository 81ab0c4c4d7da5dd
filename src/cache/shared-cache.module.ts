import { Global, Module } from '@nestjs/common';
import { SharedCacheStore } from './shared-cache-store';

/** The Redis connection every cache of the process shares (one client, one reconnect loop, one health). */
@Global()
@Module({
  providers: [SharedCacheStore],
  exports: [SharedCacheStore],
})
export class SharedCacheModule {}
