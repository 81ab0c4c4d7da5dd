import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import { FewNames } from './few-names';
import type { RequestProfile, StageList } from './request-profile';
import { RequestCounter, RequestHistogram, SeriesValues } from './request-metrics';
import { sessionUsage } from './session-usage';

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Keeps a value made at its first use; callers look it up first, so a hit allocates nothing. */
function kept<Key, Value>(made: Map<Key, Value>, key: Key, value: Value): Value {
  made.set(key, value);
  return value;
}

/** No series reserved yet. */
const NONE = -1;

/**
 * The series of one route, each reserved in the route's values at its first observation (a label
 * set never seen is not exposed as zero), known by its first slot there. A request looks its
 * route up once; the series it then observes are fields, the last (method, status) pair's series,
 * or a short scan of the route's stage names: a route has a handful of stages (FewNames).
 */
class RouteSeries {
  readonly values = new SeriesValues();
  private readonly durationsByMethod = new Map<string, Map<number, number>>();
  private lastMethod: string | undefined;
  private lastStatus = 0;
  private lastDuration = NONE;
  private readonly stageSeries = new FewNames<number>();
  /** Every request observes its statement and session counts: reserved with the route, at its first request. */
  readonly queries: number;
  readonly sessions: number;
  private sessionIdleSeries = NONE;
  private cacheHits = NONE;
  private cacheMisses = NONE;

  constructor(
    private readonly route: string,
    private readonly metrics: RouteMetricFamilies,
  ) {
    this.queries = metrics.queriesPerRequest.seriesOf({ route }, this.values);
    this.sessions = metrics.sessionsPerRequest.seriesOf({ route }, this.values);
  }

  duration(method: string, status: number): number {
    if (this.lastDuration !== NONE && method === this.lastMethod && status === this.lastStatus) return this.lastDuration;
    const byStatus = this.durationsByMethod.get(method) ?? kept(this.durationsByMethod, method, new Map<number, number>());
    this.lastMethod = method;
    this.lastStatus = status;
    return (this.lastDuration =
      byStatus.get(status) ?? kept(byStatus, status, this.metrics.requestDuration.seriesOf({ method, route: this.route, status_code: String(status) }, this.values)));
  }

  stage(stage: string): number {
    return this.stageSeries.get(stage) ?? this.stageSeries.keep(stage, this.metrics.stageDuration.seriesOf({ route: this.route, stage }, this.values));
  }

  get sessionIdle(): number {
    if (this.sessionIdleSeries === NONE) this.sessionIdleSeries = this.metrics.sessionIdle.seriesOf({ route: this.route }, this.values);
    return this.sessionIdleSeries;
  }

  cache(result: 'hit' | 'miss'): number {
    if (result === 'hit') {
      if (this.cacheHits === NONE) this.cacheHits = this.metrics.cacheResults.seriesOf({ route: this.route, result }, this.values);
      return this.cacheHits;
    }
    if (this.cacheMisses === NONE) this.cacheMisses = this.metrics.cacheResults.seriesOf({ route: this.route, result }, this.values);
    return this.cacheMisses;
  }
}

/** The families a route's series belong to. */
interface RouteMetricFamilies {
  requestDuration: RequestHistogram;
  stageDuration: RequestHistogram;
  queriesPerRequest: RequestHistogram;
  sessionsPerRequest: RequestHistogram;
  sessionIdle: RequestHistogram;
  cacheResults: RequestCounter;
}

/**
 * Prometheus metrics, labelled by route template (never the raw URL, whose cardinality is
 * unbounded). One registry per app instance, so several instances in one process stay apart.
 */
@Injectable()
export class ProfilingMetrics {
  readonly registry = new Registry();
  // Observed on every request: the project's own lightweight series (request-metrics.ts), one set per route.
  private readonly perRequest: RouteMetricFamilies = {
    requestDuration: new RequestHistogram('http_request_duration_seconds', 'Request duration from first byte in to response headers out', SECONDS_BUCKETS, this.registry),
    stageDuration: new RequestHistogram('http_request_stage_duration_seconds', 'Duration of each request stage (lifecycle and explicit stages)', SECONDS_BUCKETS, this.registry),
    queriesPerRequest: new RequestHistogram('db_queries_per_request', 'SQL statements per request (transaction control excluded)', [0, 1, 2, 3, 4, 5, 8, 13, 21, 34, 55], this.registry),
    sessionsPerRequest: new RequestHistogram('db_sessions_per_request', 'Database pool checkouts per request', [0, 1, 2, 3, 5, 8], this.registry),
    cacheResults: new RequestCounter('http_cache_results_total', 'Response cache lookups by result', this.registry),
    sessionIdle: new RequestHistogram(
      'db_session_idle_seconds',
      'Time each database session was held without running a statement (Node work while holding a connection)',
      SECONDS_BUCKETS,
      this.registry,
    ),
  };
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

  private readonly routes = new Map<string, RouteSeries>();
  /** The route observed last: requests to one route tend to follow each other. */
  private lastRoute: string | undefined;
  private lastRouteSeries: RouteSeries | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Observes a closed request and its stages as listed for its Server-Timing header. */
  observe(profile: RequestProfile, stages: StageList): void {
    const statements = profile.statementCount;
    const sessions = profile.sessions();
    const route = profile.route;
    const series = route === this.lastRoute && this.lastRouteSeries !== undefined ? this.lastRouteSeries : this.seriesOfRoute(route);
    const { values } = series;
    const { requestDuration, stageDuration, queriesPerRequest, sessionsPerRequest, cacheResults } = this.perRequest;
    requestDuration.observe(values, series.duration(profile.method, profile.status), profile.totalMs / 1000);
    const { names, durations, count } = stages;
    for (let index = 0; index < count; index += 1) stageDuration.observe(values, series.stage(names[index]), durations[index] / 1000);
    queriesPerRequest.observe(values, series.queries, statements);
    sessionsPerRequest.observe(values, series.sessions, sessions);
    if (profile.cache) cacheResults.increment(values, series.cache(profile.cache));
    // A cache hit held no session, repeated nothing and kept within any budget: the rest is for requests that did not.
    if (sessions > 0 || profile.findings.length > 0 || (profile.budget !== undefined && statements > profile.budget.limit)) this.observeDatabaseUse(profile, series);
  }

  private observeDatabaseUse(profile: RequestProfile, series: RouteSeries): void {
    const route = profile.route;
    for (const checkout of profile.checkouts) {
      const usage = sessionUsage(checkout, profile.queries, profile.totalMs, profile.options.idleSessionMs);
      this.perRequest.sessionIdle.observe(series.values, series.sessionIdle, usage.idleMs / 1000);
      if (usage.idleFlagged) this.idleSessionsFlagged.inc({ route });
    }
    for (const finding of profile.findings) {
      if (finding.allowed === null) (finding.kind === 'n+1' ? this.nPlusOneFindings : this.duplicateFindings).inc({ route });
    }
    if (profile.budget && profile.statementCount > profile.budget.limit) this.budgetExceeded.inc({ route });
  }

  private seriesOfRoute(route: string): RouteSeries {
    const series = this.routes.get(route) ?? kept(this.routes, route, new RouteSeries(route, this.perRequest));
    this.lastRoute = route;
    this.lastRouteSeries = series;
    return series;
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
