import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ReadReplicas } from '../database/read-replicas';

/**
 * The read replicas' part of readiness. A replica that is down or lags past
 * DATABASE_REPLICA_MAX_LAG_MS is `degraded`, not `down`: its reads go to the primary, so every
 * request is still answered, and a 503 would make the load balancer drop every instance at once.
 */
@Injectable()
export class ReplicasHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly replicas: ReadReplicas,
  ) {}

  /** Without DATABASE_REPLICA_URLS readiness leaves replicas out. */
  get configured(): boolean {
    return this.replicas.configured;
  }

  check(key: string) {
    const indicator = this.indicators.check(key);
    const replicas = this.replicas.status();
    const unfit = replicas.filter((replica) => replica.state !== 'streaming');
    if (unfit.length === 0) return indicator.up({ replicas });
    return indicator.degraded({ replicas, message: `${unfit.map((replica) => `${replica.name} is ${replica.state}`).join(', ')}: its reads go to the primary` });
  }
}
