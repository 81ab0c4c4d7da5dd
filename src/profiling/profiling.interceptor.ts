import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable, catchError, map, throwError } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { ProblemException } from '../common/problem-details';
import { detectNPlusOne } from './n-plus-one';
import { currentProfile } from './profiler-context';
import { QUERY_BUDGET } from '../common/query-budget.decorator';
import type { RequestProfile } from './request-profile';

/** Nest stores @Controller() and @Get() paths under this metadata key. */
const PATH_METADATA = 'path';

function joinPaths(...parts: Array<string | string[] | undefined>): string {
  const segments = parts.map((part) => (Array.isArray(part) ? part[0] : part) ?? '').join('/');
  return `/${segments.split('/').filter(Boolean).join('/')}`;
}

interface HandlerProfile {
  route: string;
  budget: number | undefined;
}

/**
 * Marks the lifecycle (guards done, handler done), names the route by its template, applies the
 * handler's @QueryBudget, and in strict mode turns an N+1 or a blown budget into a 500.
 */
@Injectable()
export class ProfilingInterceptor implements NestInterceptor {
  /** Route template and budget per handler, read from metadata once rather than per request. */
  private readonly handlers = new WeakMap<object, HandlerProfile>();

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const profile = currentProfile();
    if (!profile || context.getType() !== 'http') return next.handle();

    profile.handlerStartMs = profile.now();
    const handler = this.handlerProfile(context);
    profile.route = handler.route;
    if (handler.budget !== undefined) profile.budget = { limit: handler.budget };

    return next.handle().pipe(
      map((body) => {
        profile.handlerEndMs = profile.now();
        this.enforce(profile);
        return body;
      }),
      catchError((error: unknown) => {
        profile.handlerEndMs ??= profile.now();
        return throwError(() => error);
      }),
    );
  }

  private handlerProfile(context: ExecutionContext): HandlerProfile {
    const handler = context.getHandler();
    let known = this.handlers.get(handler);
    if (!known) {
      known = {
        route: joinPaths(this.reflector.get<string>(PATH_METADATA, context.getClass()), this.reflector.get<string>(PATH_METADATA, handler)),
        budget: this.reflector.get<number | undefined>(QUERY_BUDGET, handler),
      };
      this.handlers.set(handler, known);
    }
    return known;
  }

  private enforce(profile: RequestProfile): void {
    profile.nPlusOne = detectNPlusOne(profile, this.config.PROFILER_N_PLUS_ONE_THRESHOLD);
    if (!this.config.PROFILER_STRICT) return;

    const statements = this.statementSummary(profile);
    if (profile.budget && profile.statementCount > profile.budget.limit) {
      const reason = profile.budget.reason ? ` (${profile.budget.reason})` : '';
      throw new ProblemException(HttpStatus.INTERNAL_SERVER_ERROR, {
        type: '/problems/query-budget-exceeded',
        title: 'Query budget exceeded',
        detail: `query budget exceeded: ${profile.statementCount} > ${profile.budget.limit}${reason}`,
        statements,
      });
    }
    const [finding] = profile.nPlusOne;
    if (finding) {
      throw new ProblemException(HttpStatus.INTERNAL_SERVER_ERROR, {
        type: '/problems/n-plus-one',
        title: 'N+1 query detected',
        detail: `N+1 query detected: the same statement ran ${finding.count} times${finding.parallel ? ' in parallel' : ''}: ${finding.sql}`,
        hint: finding.hint,
        statements,
      });
    }
  }

  /** Normalized statements in order of first appearance with their run counts (no values). */
  private statementSummary(profile: RequestProfile): Array<{ sql: string; count: number }> {
    const counts = new Map<string, number>();
    for (const query of profile.queries) if (!query.transactionControl) counts.set(query.sql, (counts.get(query.sql) ?? 0) + 1);
    return [...counts].slice(0, 50).map(([sql, count]) => ({ sql, count }));
  }
}
