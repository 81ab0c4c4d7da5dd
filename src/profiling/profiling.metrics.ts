import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import type { RequestProfile } from './request-profile';
import { RequestCounter, RequestHistogram } from './request-metrics';
import { sessionUsage } from './session-usage';

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Series kept once made, looked up one label value at a time (up to three), so a lookup
 * allocates no key, no argument array, and an observation touches no label object.
 */
class SeriesByLabels<Series> {
  private readonly made = new Map<string, Map<string, Map<string, Series>>>();

  constructor(private readonly make: (first: string, second: string, third: string) => Series) {}

  /** A series with fewer labels leaves the later values at their default. */
  of(first: string, second = '', third = ''): Series {
    const byThird = levelOf(levelOf(this.made, first), second);
    let series = byThird.get(third);
    if (series === undefined) {
      series = this.make(first, second, third);
      byThird.set(third, series);
    }
    return series;
  }
}

function levelOf<Inner>(level: Map<string, Map<string, Inner>>, value: string): Map<string, Inner> {
  let next = level.get(value);
  if (next === undefined) {
    next = new Map();
    level.set(value, next);
  }
  return next;
}

/**
 * Prometheus metrics, labelled by route template (never the raw URL, whose cardinality is
 * unbounded). One registry per app instance, so several instances in one process stay apart.
 */
@Injectable()
export class ProfilingMetrics {
  readonly registry = new Registry();
  // Observed on every request: the project's own lightweight series (request-metrics.ts).
  private readonly requestDuration = new RequestHistogram(
    'http_request_duration_seconds',
    'Request duration from first byte in to response headers out',
    SECONDS_BUCKETS,
    this.registry,
  );
  private readonly stageDuration = new RequestHistogram(
    'http_request_stage_duration_seconds',
    'Duration of each request stage (lifecycle and explicit stages)',
    SECONDS_BUCKETS,
    this.registry,
  );
  private readonly queriesPerRequest = new RequestHistogram(
    'db_queries_per_request',
    'SQL statements per request (transaction control excluded)',
    [0, 1, 2, 3, 4, 5, 8, 13, 21, 34, 55],
    this.registry,
  );
  private readonly sessionsPerRequest = new RequestHistogram('db_sessions_per_request', 'Database pool checkouts per request', [0, 1, 2, 3, 5, 8], this.registry);
  private readonly cacheResults = new RequestCounter('http_cache_results_total', 'Response cache lookups by result', this.registry);
  private readonly sessionIdle = new RequestHistogram(
    'db_session_idle_seconds',
    'Time each database session was held without running a statement (Node work while holding a connection)',
    SECONDS_BUCKETS,
    this.registry,
  );
  // Counted only when something is wrong: prom-client's own.
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

  private readonly requestDurationOf = new SeriesByLabels((method, route, status_code) => this.requestDuration.seriesOf({ method, route, status_code }));
  private readonly stageDurationOf = new SeriesByLabels((route, stage) => this.stageDuration.seriesOf({ route, stage }));
  private readonly queriesOf = new SeriesByLabels((route) => this.queriesPerRequest.seriesOf({ route }));
  private readonly sessionsOf = new SeriesByLabels((route) => this.sessionsPerRequest.seriesOf({ route }));
  private readonly sessionIdleOf = new SeriesByLabels((route) => this.sessionIdle.seriesOf({ route }));
  private readonly cacheResultsOf = new SeriesByLabels((route, result) => this.cacheResults.seriesOf({ route, result }));

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observe(profile: RequestProfile): void {
    const route = profile.route;
    this.requestDurationOf.of(profile.method, route, String(profile.status))(profile.totalMs / 1000);
    for (const stage of profile.allStages()) this.stageDurationOf.of(route, stage.name)(stage.durationMs / 1000);
    this.queriesOf.of(route)(profile.statementCount);
    this.sessionsOf.of(route)(profile.sessions());
    if (profile.cache) this.cacheResultsOf.of(route, profile.cache)();
    for (const checkout of profile.checkouts) {
      const usage = sessionUsage(checkout, profile.queries, profile.totalMs, profile.options.idleSessionMs);
      this.sessionIdleOf.of(route)(usage.idleMs / 1000);
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
