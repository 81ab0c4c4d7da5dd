import type { ProfileView } from './profile-view';

/** Statements listed per route: the few that cost the most time. */
export const TOP_STATEMENTS_PER_ROUTE = 5;

export interface Percentiles {
  p50: number;
  p95: number;
}

export interface TopStatement {
  sql: string;
  /** Runs over all of the route's requests. */
  count: number;
  totalMs: number;
}

export interface RouteSummary {
  method: string;
  route: string;
  requests: number;
  totalMs: Percentiles;
  statements: Percentiles;
  topStatements: TopStatement[];
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Nearest-rank percentile: always a value that was measured. */
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.max(Math.ceil(fraction * sorted.length) - 1, 0)];
}

function percentilesOf(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
}

function topStatementsOf(profiles: readonly ProfileView[]): TopStatement[] {
  const bySql = new Map<string, TopStatement>();
  for (const { statements } of profiles) {
    for (const { sql, count, totalMs } of statements) {
      const total = bySql.get(sql) ?? { sql, count: 0, totalMs: 0 };
      total.count += count;
      total.totalMs += totalMs;
      bySql.set(sql, total);
    }
  }
  return [...bySql.values()]
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, TOP_STATEMENTS_PER_ROUTE)
    .map((statement) => ({ ...statement, totalMs: round(statement.totalMs) }));
}

/**
 * Per method and route template: request count, p50/p95 of total time and of statements per
 * request, and the statements with the most summed time. Busiest routes first (then by name, so
 * the order is stable), as that is where a statement's cost adds up.
 */
export function summarizeRoutes(profiles: readonly ProfileView[]): RouteSummary[] {
  const byRoute = new Map<string, ProfileView[]>();
  for (const profile of profiles) {
    const key = `${profile.method} ${profile.route}`;
    const group = byRoute.get(key);
    if (group) group.push(profile);
    else byRoute.set(key, [profile]);
  }
  return [...byRoute.values()]
    .map((routeProfiles) => ({
      method: routeProfiles[0].method,
      route: routeProfiles[0].route,
      requests: routeProfiles.length,
      totalMs: percentilesOf(routeProfiles.map((profile) => profile.totalMs)),
      statements: percentilesOf(routeProfiles.map((profile) => profile.statementCount)),
      topStatements: topStatementsOf(routeProfiles),
    }))
    .sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route) || a.method.localeCompare(b.method));
}
