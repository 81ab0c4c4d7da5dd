import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { RequestProfile } from './request-profile';
import { sessionUsage } from './session-usage';

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * A metric's labelled children, kept once made: prom-client hashes the label set on every
 * unlabelled observe, which is measurable on a cache hit that does little else. Looked up one
 * label value at a time, so a lookup allocates no key.
 */
class Children<Child> {
  private readonly made = new Map<string, unknown>();

  constructor(private readonly make: (...values: string[]) => Child) {}

  of(...values: string[]): Child {
    let level = this.made;
    const last = values.length - 1;
    for (let index = 0; index < last; index += 1) {
      let next = level.get(values[index]) as Map<string, unknown> | undefined;
      if (!next) {
        next = new Map();
        level.set(values[index], next);
      }
      level = next;
    }
    let child = level.get(values[last]) as Child | undefined;
    if (!child) {
      child = this.make(...values);
      level.set(values[last], child);
    }
    return child;
  }
}

/**
 * Prometheus metrics, labelled by route template (never the raw URL, whose cardinality is
 * unbounded). One registry per app instance, so several instances in one process stay apart.
 */
@Injectable()
export class ProfilingMetrics {
  readonly registry = new Registry();
  private readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Request duration from first byte in to response headers out',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  private readonly stageDuration = new Histogram({
    name: 'http_request_stage_duration_seconds',
    help: 'Duration of each request stage (lifecycle and explicit stages)',
    labelNames: ['route', 'stage'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  private readonly queriesPerRequest = new Histogram({
    name: 'db_queries_per_request',
    help: 'SQL statements per request (transaction control excluded)',
    labelNames: ['route'] as const,
    buckets: [0, 1, 2, 3, 4, 5, 8, 13, 21, 34, 55],
    registers: [this.registry],
  });
  private readonly sessionsPerRequest = new Histogram({
    name: 'db_sessions_per_request',
    help: 'Database pool checkouts per request',
    labelNames: ['route'] as const,
    buckets: [0, 1, 2, 3, 5, 8],
    registers: [this.registry],
  });
  private readonly cacheResults = new Counter({
    name: 'http_cache_results_total',
    help: 'Response cache lookups by result',
    labelNames: ['route', 'result'] as const,
    registers: [this.registry],
  });
  private readonly nPlusOneFindings = new Counter({
    name: 'db_n_plus_one_findings_total',
    help: 'N+1 findings (the same statement with other values, not allowed by allowRepeated)',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  private readonly duplicateFindings = new Counter({
    name: 'db_duplicate_statement_findings_total',
    help: 'Duplicate-statement findings (the same statement with the same values, not allowed by allowRepeated)',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  private readonly sessionIdle = new Histogram({
    name: 'db_session_idle_seconds',
    help: 'Time each database session was held without running a statement (Node work while holding a connection)',
    labelNames: ['route'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  private readonly idleSessionsFlagged = new Counter({
    name: 'db_sessions_idle_flagged_total',
    help: 'Database sessions held idle for PROFILER_IDLE_SESSION_MS or longer',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  private readonly budgetExceeded = new Counter({
    name: 'db_query_budget_exceeded_total',
    help: 'Requests that ran more statements than their @QueryBudget',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  private readonly requestDurationOf = new Children((method, route, status) => this.requestDuration.labels(method, route, status));
  private readonly stageDurationOf = new Children((route, stage) => this.stageDuration.labels(route, stage));
  private readonly queriesOf = new Children((route) => this.queriesPerRequest.labels(route));
  private readonly sessionsOf = new Children((route) => this.sessionsPerRequest.labels(route));
  private readonly sessionIdleOf = new Children((route) => this.sessionIdle.labels(route));

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observe(profile: RequestProfile): void {
    const route = profile.route;
    this.requestDurationOf.of(profile.method, route, String(profile.status)).observe(profile.totalMs / 1000);
    for (const stage of profile.allStages()) this.stageDurationOf.of(route, stage.name).observe(stage.durationMs / 1000);
    this.queriesOf.of(route).observe(profile.statementCount);
    this.sessionsOf.of(route).observe(profile.sessions());
    if (profile.cache) this.cacheResults.inc({ route, result: profile.cache });
    for (const checkout of profile.checkouts) {
      const usage = sessionUsage(checkout, profile.queries, profile.totalMs, profile.options.idleSessionMs);
      this.sessionIdleOf.of(route).observe(usage.idleMs / 1000);
      if (usage.idleFlagged) this.idleSessionsFlagged.inc({ route });
    }
    for (const finding of profile.findings) {
      if (finding.allowed === null) (finding.kind === 'n+1' ? this.nPlusOneFindings : this.duplicateFindings).inc({ route });
    }
    if (profile.budget && profile.statementCount > profile.budget.limit) this.budgetExceeded.inc({ route });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
