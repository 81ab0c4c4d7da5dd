import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CacheHealthIndicator } from './cache.health';
import { HealthController } from './health.controller';
import { ReplicasHealthIndicator } from './replicas.health';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [CacheHealthIndicator, ReplicasHealthIndicator],
})
export class HealthModule {}
