import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { SharedCacheStore } from '../cache/shared-cache-store';

/**
 * The cache store's part of readiness. An unreachable Redis is `degraded`, not `down`: every
 * request is still answered from the database (only slower), and a 503 here would make the load
 * balancer drop every instance at once, turning a cache outage into a full outage.
 */
@Injectable()
export class CacheHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly store: SharedCacheStore,
  ) {}

  async check(key: string) {
    const indicator = this.indicators.check(key);
    if (!this.store.configured) return indicator.up({ store: 'memory' });
    if (await this.store.isReachable()) return indicator.up({ store: 'redis' });
    return indicator.degraded({ store: 'redis', message: 'Redis is unreachable: responses are computed from the database until it is back' });
  }
}
