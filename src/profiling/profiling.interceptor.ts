import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable, tap } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { ProblemException } from '../common/problem-details';
import { currentProfile } from './profiler-context';
import { QUERY_BUDGET } from '../common/query-budget.decorator';
import { findingsOf } from './repeated-statements';
import type { BudgetState, RepeatedStatementFinding, RequestProfile } from './request-profile';

/**
 * Marks the end of the guards (the handler's start), applies the handler's @QueryBudget, and in
 * strict mode turns an N+1 or a blown budget into a 500. The handler's end is marked when its
 * result is replied (RequestProfiler.markRepliesThrough), so outside strict mode a request's
 * observable gets no operator of the profiler's. (The route is named when the response headers
 * go out, from Express's matched route: requests a guard refuses never reach this interceptor.)
 */
@Injectable()
export class ProfilingInterceptor implements NestInterceptor {
  /**
   * One operator for every request, made once: it finds the request's profile in the async
   * context its callback runs in, so a request allocates no operator or closures of its own.
   */
  private readonly enforceWhenDone = tap({
    next: () => {
      const profile = currentProfile();
      if (profile) this.enforce(profile);
    },
  });

  /**
   * Each handler's @QueryBudget, read from its metadata once (a metadata look-up walks three maps
   * on every request), as the budget its profiles share: a profile's budget is replaced, never
   * changed, and a profile kept in the store's history should not hold an object of its own for it.
   */
  private readonly budgets = new Map<Function, BudgetState | undefined>();

  /** Read once, as RequestProfiler reads its settings. */
  private readonly strict: boolean;

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {
    this.strict = config.PROFILER_STRICT;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const profile = currentProfile();
    if (!profile || context.getType() !== 'http') return next.handle();

    profile.handlerStartMs = profile.now();
    const budget = this.budgetOf(context.getHandler());
    if (budget !== undefined) profile.budget = budget;
    return this.strict ? next.handle().pipe(this.enforceWhenDone) : next.handle();
  }

  private budgetOf(handler: Function): BudgetState | undefined {
    const known = this.budgets.get(handler);
    if (known !== undefined || this.budgets.has(handler)) return known;
    const limit = this.reflector.get<number | undefined>(QUERY_BUDGET, handler);
    const budget = limit === undefined ? undefined : { limit };
    this.budgets.set(handler, budget);
    return budget;
  }

  private enforce(profile: RequestProfile): void {
    findingsOf(profile, this.config.PROFILER_N_PLUS_ONE_THRESHOLD);

    const statements = profile.statements.filter((shape) => !shape.transactionControl).slice(0, 50).map(({ sql, count }) => ({ sql, count }));
    if (profile.budget && profile.statementCount > profile.budget.limit) {
      const reason = profile.budget.reason ? ` (${profile.budget.reason})` : '';
      throw new ProblemException(HttpStatus.INTERNAL_SERVER_ERROR, {
        type: '/problems/query-budget-exceeded',
        title: 'Query budget exceeded',
        detail: `query budget exceeded: ${profile.statementCount} > ${profile.budget.limit}${reason}`,
        statements,
      });
    }
    const finding = profile.findings.find((candidate) => candidate.allowed === null);
    if (finding) throw repeatedStatementProblem(finding, statements);
  }
}

function repeatedStatementProblem(finding: RepeatedStatementFinding, statements: Array<{ sql: string; count: number }>): ProblemException {
  const site = finding.callSite ? ` at ${finding.callSite.at.file}:${finding.callSite.at.line} (${finding.callSite.at.function})` : '';
  const relation = finding.relation ? ` loading ${finding.relation.entity}.${finding.relation.property}` : '';
  const times = `${finding.count} times${finding.parallel ? ' in parallel' : ''}${site}${relation}`;
  const problem =
    finding.kind === 'n+1'
      ? { type: '/problems/n-plus-one', title: 'N+1 query detected', detail: `N+1 query detected: the same statement ran ${times} with other values: ${finding.sql}` }
      : { type: '/problems/duplicate-statement', title: 'Duplicate statement', detail: `Duplicate statement: the same statement ran ${times} with the same values: ${finding.sql}` };
  return new ProblemException(HttpStatus.INTERNAL_SERVER_ERROR, { ...problem, hint: finding.fix, callSite: finding.callSite, relation: finding.relation, statements });
}
