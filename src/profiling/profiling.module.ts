import { Global, Module, OnModuleInit } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { instrumentPool } from './instrumented-pg';
import { MetricsController } from './metrics.controller';
import { nameRelationLoads } from './relation-loads';
import { ProfileStore } from './profile-store';
import { ProfilerAccess, ProfilerAccessGuard } from './profiler-access.guard';
import { ProfilerPageController } from './profiler-page/profiler-page.controller';
import { ProfilerController } from './profiler.controller';
import { ProfilerExplainController } from './profiler-explain.controller';
import { ProfilerService } from './profiler.service';
import { ProfilingInterceptor } from './profiling.interceptor';
import { ProfilingMetrics } from './profiling.metrics';
import { RequestProfiler } from './request-profiler';
import { SharedProfileStore } from './shared-profile-store';
import { SlowQueryExplainer } from './slow-query-explainer';
import { StatementPlanner } from './statement-planner';

/**
 * The query-profiling subsystem (SPEC §8): per-request stages, statements and sessions,
 * N+1 detection, query budgets, recent profiles, Prometheus metrics.
 */
@Global()
@Module({
  controllers: [ProfilerController, ProfilerExplainController, ProfilerPageController, MetricsController],
  providers: [
    ProfilerService,
    ProfileStore,
    SharedProfileStore,
    ProfilingMetrics,
    RequestProfiler,
    SlowQueryExplainer,
    StatementPlanner,
    ProfilerAccess,
    ProfilerAccessGuard,
    { provide: APP_INTERCEPTOR, useClass: ProfilingInterceptor },
  ],
  exports: [ProfilerService, RequestProfiler, ProfilerAccess, ProfilingMetrics],
})
export class ProfilingModule implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    nameRelationLoads();
    instrumentPool((this.dataSource.driver as unknown as { master: Pool }).master);
  }
}
