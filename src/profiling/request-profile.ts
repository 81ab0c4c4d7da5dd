import { performance } from 'node:perf_hooks';
import { isTransactionControl, normalizeSql } from './sql-normalizer';

export type LifecyclePhase = 'auth' | 'validation' | 'handler' | 'serialization';

export interface StageRecord {
  name: string;
  startMs: number;
  durationMs: number;
}

export interface QueryRecord {
  sql: string;
  startMs: number;
  durationMs: number;
  rows: number | null;
  stage: string;
  transactionControl: boolean;
  session: number | null;
  error?: string;
  params?: unknown[];
}

export interface CheckoutRecord {
  session: number;
  requestedMs: number;
  waitMs: number;
  queued: boolean;
  /** The database server of the session: `primary`, or `replica N` in DATABASE_REPLICA_URLS order. */
  server: string;
}

export interface NPlusOneFinding {
  sql: string;
  count: number;
  /** True when some of the repeats overlapped in time (a Promise.all fan-out). */
  parallel: boolean;
  hint: string;
}

/** A statement over SLOW_QUERY_MS, kept until its plan is captured; its values are never kept (the plan is generic). */
export interface SlowStatement {
  sql: string;
  normalizedSql: string;
  parameterCount: number;
  durationMs: number;
}

export interface BudgetState {
  limit: number;
  reason?: string;
}

/** The route label of a request no handler took (a 404, or a body the parser refused). */
export const UNMATCHED_ROUTE = 'unmatched';

/** Bounds that keep one profile's memory and headers flat whatever the request does. */
export const MAX_RECORDED_QUERIES = 500;
const MAX_SLOW_STATEMENTS = 5;

/**
 * Everything measured about one request: lifecycle and explicit stages, every statement (its
 * normalized text only), every pool checkout. Times are milliseconds relative to the request start.
 */
export class RequestProfile {
  readonly startedAt = new Date();
  readonly origin = performance.now();
  route = UNMATCHED_ROUTE;
  status = 0;
  totalMs = 0;
  cache: 'hit' | 'miss' | undefined;
  budget: BudgetState | undefined;
  readonly stages: StageRecord[] = [];
  readonly queries: QueryRecord[] = [];
  readonly checkouts: CheckoutRecord[] = [];
  statementCount = 0;
  transactionControlCount = 0;
  dbMs = 0;
  droppedQueries = 0;
  nPlusOne: NPlusOneFinding[] = [];
  handlerStartMs: number | undefined;
  handlerEndMs: number | undefined;
  headersAtMs: number | undefined;
  private validationStartMs: number | undefined;
  private validationEndMs: number | undefined;
  readonly slowStatements: SlowStatement[] = [];
  private sealedStages: StageRecord[] | undefined;
  private readonly sqlCounts = new Map<string, number>();

  constructor(
    readonly id: string,
    readonly method: string,
    readonly path: string,
    readonly options: { captureParams: boolean; slowQueryMs: number },
  ) {}

  now(): number {
    return performance.now() - this.origin;
  }

  recordStage(name: string, startMs: number, endMs: number): void {
    this.stages.push({ name, startMs, durationMs: endMs - startMs });
  }

  recordValidation(startMs: number, endMs: number): void {
    this.validationStartMs ??= startMs;
    this.validationEndMs = endMs;
  }

  /** Lifecycle stages derived from the marks the middleware, interceptor and pipe left. */
  lifecycleStages(): StageRecord[] {
    const stages: StageRecord[] = [];
    const add = (name: string, start: number | undefined, end: number | undefined) => {
      if (start !== undefined && end !== undefined && end >= start) stages.push({ name, startMs: start, durationMs: end - start });
    };
    add('auth', 0, this.handlerStartMs);
    add('validation', this.validationStartMs, this.validationEndMs);
    add('handler', this.validationEndMs ?? this.handlerStartMs, this.handlerEndMs);
    add('serialization', this.handlerEndMs, this.headersAtMs);
    const waitMs = this.poolWaitMs();
    if (this.checkouts.some((checkout) => checkout.queued)) {
      const first = this.checkouts.find((checkout) => checkout.queued)!;
      stages.push({ name: 'pool_wait', startMs: first.requestedMs, durationMs: waitMs });
    }
    return stages;
  }

  /** Lifecycle and explicit stages; fixed once the response headers are out. */
  allStages(): StageRecord[] {
    if (this.sealedStages) return this.sealedStages;
    const stages = [...this.lifecycleStages(), ...this.stages];
    if (this.headersAtMs !== undefined) this.sealedStages = stages;
    return stages;
  }

  poolWaitMs(): number {
    return this.checkouts.reduce((sum, checkout) => sum + checkout.waitMs, 0);
  }

  recordCheckout(requestedMs: number, acquiredMs: number, queued: boolean, server: string): number {
    const session = this.checkouts.length + 1;
    this.checkouts.push({ session, requestedMs, waitMs: acquiredMs - requestedMs, queued, server });
    return session;
  }

  recordQuery(rawSql: string, record: Omit<QueryRecord, 'sql' | 'transactionControl' | 'params'>, params: unknown[] | undefined): void {
    const transactionControl = isTransactionControl(rawSql);
    const sql = normalizeSql(rawSql);
    if (transactionControl) {
      this.transactionControlCount += 1;
    } else {
      this.statementCount += 1;
      this.dbMs += record.durationMs;
      this.sqlCounts.set(sql, (this.sqlCounts.get(sql) ?? 0) + 1);
    }
    if (!transactionControl && record.durationMs >= this.options.slowQueryMs && this.slowStatements.length < MAX_SLOW_STATEMENTS) {
      this.slowStatements.push({ sql: rawSql, normalizedSql: sql, parameterCount: params?.length ?? 0, durationMs: record.durationMs });
    }
    if (this.queries.length >= MAX_RECORDED_QUERIES) {
      this.droppedQueries += 1;
      return;
    }
    const keepParams = this.options.captureParams && params !== undefined;
    this.queries.push({ sql, transactionControl, ...record, ...(keepParams && { params }) });
  }

  repeatedStatements(threshold: number): Array<{ sql: string; count: number }> {
    return [...this.sqlCounts].filter(([, count]) => count >= threshold).map(([sql, count]) => ({ sql, count }));
  }

  sessions(): number {
    return this.checkouts.length;
  }
}
