import type { ProfileView } from './profile-view';
import { summarizeRoutes, TOP_STATEMENTS_PER_ROUTE } from './route-summary';

type Statement = ProfileView['statements'][number];

function profile(route: string, totalMs: number, statements: Array<Pick<Statement, 'sql' | 'count' | 'totalMs'>>): ProfileView {
  const statementCount = statements.reduce((sum, statement) => sum + statement.count, 0);
  return {
    method: 'GET',
    route,
    totalMs,
    statementCount,
    statements: statements.map((statement, index) => ({ ...statement, index, explainable: true })),
  } as ProfileView;
}

describe('summarizeRoutes', () => {
  it('takes nearest-rank p50 and p95 of total time and of statements per request', () => {
    const totals = Array.from({ length: 20 }, (_, index) => index + 1); // 1..20 ms
    const [summary] = summarizeRoutes(totals.map((ms) => profile('/a', ms, [{ sql: 'SELECT 1', count: ms % 4, totalMs: 0.5 }])));
    expect(summary.requests).toBe(20);
    expect(summary.totalMs).toEqual({ p50: 10, p95: 19 });
    // Statement counts: five each of 0, 1, 2, 3.
    expect(summary.statements).toEqual({ p50: 1, p95: 3 });
  });

  it('ranks statements by time summed over the route, keeping the top ones', () => {
    const statements = Array.from({ length: TOP_STATEMENTS_PER_ROUTE + 2 }, (_, index) => ({ sql: `SELECT ${index}`, count: 1, totalMs: index }));
    const [summary] = summarizeRoutes([profile('/a', 10, statements), profile('/a', 10, [{ sql: 'SELECT 0', count: 3, totalMs: 100 }])]);
    expect(summary.topStatements[0]).toEqual({ sql: 'SELECT 0', count: 4, totalMs: 100 });
    expect(summary.topStatements.map((statement) => statement.sql)).toEqual(['SELECT 0', 'SELECT 6', 'SELECT 5', 'SELECT 4', 'SELECT 3']);
  });

  it('lists the busiest routes first, one entry per method and route', () => {
    const summaries = summarizeRoutes([profile('/b', 1, []), profile('/a', 1, []), profile('/b', 1, []), { ...profile('/b', 1, []), method: 'POST' }]);
    expect(summaries.map(({ method, route, requests }) => `${method} ${route} ${requests}`)).toEqual(['GET /b 2', 'GET /a 1', 'POST /b 1']);
  });
});
