import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { CacheHealthIndicator } from './cache.health';
import { ReplicasHealthIndicator } from './replicas.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly cache: CacheHealthIndicator,
    private readonly replicas: ReplicasHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: the database answers (503 when it does not); the cache store is reported, and with DATABASE_REPLICA_URLS the read replicas; an unreachable Redis or a replica down or lagging is degraded (still 200)',
  })
  ready() {
    const checks = [() => this.database.pingCheck('database', { timeout: 1500 }), () => this.cache.check('cache')];
    return this.health.check(this.replicas.configured ? [...checks, () => this.replicas.check('replicas')] : checks);
  }
}
