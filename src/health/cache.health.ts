import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { SharedCacheStore } from '../cache/shared-cache-store';

/**
 * The cache store's part of readiness. An unreachable Redis is `degraded`, not `down`: every
 * request is still answered from the database (only slower), and a 503 here would make the load
 * balancer drop every instance at once, turning a cache outage into a full outage. While the
 * circuit breaker skips a silent Redis, the probe does not ask it either (it would wait the timeout).
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
    const message = this.store.breakerOpen
      ? 'Redis is unreachable (it stopped answering; the circuit breaker skips it until a trial connection succeeds): responses are computed from the database'
      : 'Redis is unreachable: responses are computed from the database until it is back';
    return indicator.degraded({ store: 'redis', message });
  }
}
