import { performance } from 'node:perf_hooks';
import type { RelationLoadContext } from '../request-context/request-context';
import type { StatementOrigin } from './call-sites';
import { isTransactionControl, normalizeSql } from './sql-normalizer';

export type LifecyclePhase = 'auth' | 'validation' | 'handler' | 'serialization';

export interface StageRecord {
  name: string;
  startMs: number;
  durationMs: number;
}

/** One distinct statement of the request (its normalized text), in order of first run. */
export interface StatementShape {
  index: number;
  sql: string;
  /** The text as sent, with `$n` placeholders: kept server-side for EXPLAIN, never served. */
  text: string;
  transactionControl: boolean;
  /** Runs sent so far (counted when sent, so parallel runs see each other). */
  started: number;
  count: number;
  totalMs: number;
}

/** The TypeORM relation a statement loads (RelationLoader: lazy relations, `relation().of().loadMany()`). */
export type RelationLoad = RelationLoadContext;

/** What a running statement carries before it is recorded. */
export interface StatementStart {
  shape: StatementShape;
  startMs: number;
  stage: string;
  callSite: StatementOrigin | null;
  valuesHash: number;
  relation: RelationLoad | undefined;
  allowedRepeat: string | undefined;
}

export interface QueryRecord {
  /** Index in the profile's statements. */
  statement: number;
  sql: string;
  startMs: number;
  durationMs: number;
  rows: number | null;
  stage: string;
  transactionControl: boolean;
  session: number | null;
  callSite: StatementOrigin | null;
  relation?: RelationLoad;
  /** The reason given to allowRepeated() around this statement. */
  allowedRepeat?: string;
  /** A hash of the bind values, so that runs with the same values are told apart without keeping them. */
  valuesHash: number;
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
  /** Undefined while the session is still held. */
  releasedMs?: number;
}

export interface RepeatedStatementFinding {
  /** `n+1`: the same statement with other values (batch it); `duplicate`: with the same values (reuse the result). */
  kind: 'n+1' | 'duplicate';
  statement: number;
  sql: string;
  callSite: StatementOrigin | null;
  count: number;
  distinctValues: number;
  /** True when some of the repeats overlapped in time (a Promise.all fan-out). */
  parallel: boolean;
  relation: Pick<RelationLoad, 'entity' | 'property' | 'target'> | null;
  fix: string;
  /** The reason given to allowRepeated(): intended repetition, shown but not a problem. */
  allowed: string | null;
  /** Indexes in the profile's queries. */
  queries: number[];
}

/** A statement over SLOW_QUERY_MS, kept until its plan is captured; its values are never kept (the plan is generic). */
export interface SlowStatement {
  sql: string;
  normalizedSql: string;
  durationMs: number;
}

/** Settings every profile of a process shares (from AppConfig, made once). */
export interface ProfileOptions {
  captureParams: boolean;
  slowQueryMs: number;
  idleSessionMs: number;
}

/** Replaced, never changed: profiles of one handler share the one its @QueryBudget made. */
export interface BudgetState {
  readonly limit: number;
  readonly reason?: string;
}

/** The route label of a request no handler took (a 404, or a body the parser refused). */
export const UNMATCHED_ROUTE = 'unmatched';

const NO_ITEMS: readonly never[] = Object.freeze([]);

/** Bounds that keep one profile's memory and headers flat whatever the request does. */
export const MAX_RECORDED_QUERIES = 500;
const MAX_SLOW_STATEMENTS = 5;

// A profile's times, in one list of doubles per profile (NaN: not reached yet). As fields, each
// would be a number boxed in an object of its own, and a profile outlives scavenges in the store's
// history: the boxes were ~60% of the garbage collector's extra work with profiling on (2.8k of
// 4.5k instructions per cached request, callgrind, docs/benchmarks.md).
const STARTED_AT_EPOCH = 0;
const ORIGIN = 1;
const TOTAL = 2;
const DB = 3;
const HANDLER_START = 4;
const HANDLER_END = 5;
const HEADERS_SENT = 6;
const VALIDATION_START = 7;
const VALIDATION_END = 8;

/** A time slot read as the optional number the rest of the profiler deals in. */
function reached(time: number): number | undefined {
  return Number.isNaN(time) ? undefined : time;
}

/** Receives a profile's stages in the order they are listed (RequestProfile.eachStage). */
export interface StageVisitor {
  stage(name: string, startMs: number, durationMs: number): void;
}

/**
 * A profile's stages as two lists (names and durations) filled in place: the Server-Timing header
 * and the metrics read one listing per response, made without a record per stage, and the lists
 * are kept from one response to the next (responses are closed one at a time, synchronously).
 */
export class StageList implements StageVisitor {
  readonly names: string[] = [];
  readonly durations: number[] = [];
  count = 0;

  /** Lists the stages of `profile` in place of the previous listing. */
  of(profile: RequestProfile): this {
    this.count = 0;
    profile.eachStage(this);
    return this;
  }

  stage(name: string, _startMs: number, durationMs: number): void {
    this.names[this.count] = name;
    this.durations[this.count] = durationMs;
    this.count += 1;
  }
}

/** Collects the stages as records: for the JSON view and tests, not the response path. */
class StageRecords implements StageVisitor {
  readonly list: StageRecord[] = [];

  stage(name: string, startMs: number, durationMs: number): void {
    this.list.push({ name, startMs, durationMs });
  }
}

function acquiredAtMs(checkout: CheckoutRecord): number {
  return checkout.requestedMs + checkout.waitMs;
}

function visitLifecycleStage(visitor: StageVisitor, name: LifecyclePhase, startMs: number | undefined, endMs: number | undefined): void {
  if (startMs !== undefined && endMs !== undefined && endMs >= startMs) visitor.stage(name, startMs, endMs - startMs);
}

/**
 * Everything measured about one request: lifecycle and explicit stages, every statement (its
 * normalized text only), every pool checkout. Times are milliseconds relative to the request start.
 */
export class RequestProfile {
  // A literal of doubles: V8 keeps them unboxed in one backing store, made by copying a template.
  private readonly times: number[] = [Date.now(), performance.now(), 0, 0, Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN];
  route = UNMATCHED_ROUTE;
  status = 0;
  cache: 'hit' | 'miss' | undefined;
  budget: BudgetState | undefined;
  // The lists start as one shared empty list and get their own at the first item: a profile is
  // kept in the store's ring after its request, and a cache hit's (no statement, no session,
  // no explicit stage) then holds no list at all.
  private explicitStages: StageRecord[] | undefined;
  private queryRecords: QueryRecord[] | undefined;
  private checkoutRecords: CheckoutRecord[] | undefined;
  statementCount = 0;
  transactionControlCount = 0;
  droppedQueries = 0;
  findings: readonly RepeatedStatementFinding[] = NO_ITEMS;
  findingsDetected = false;
  /** Set by a request carrying X-Profiler-Capture with the profiler token: kept wherever profiles are shared. */
  captureRequested = false;
  /** Explicit stages recorded before the headers went out: the ones the header showed. */
  private stagesInHeaders: number | undefined;
  private slowStatementList: SlowStatement[] | undefined;
  private statementShapes: StatementShape[] | undefined;
  /** Made at the first statement: a cache hit runs none and should allocate nothing for them. */
  private shapesByText: Map<string, StatementShape> | undefined;

  constructor(
    readonly id: string,
    readonly method: string,
    /**
     * The request target as received: path and query. The profile keeps the string the HTTP
     * parser made and reads its path when asked; a slice would pin that string and add one of its
     * own to every profile the store's history keeps.
     */
    readonly target: string,
    readonly options: ProfileOptions,
  ) {}

  /** The target's path, without its query (which may carry values and is never shown). */
  get path(): string {
    const queryAt = this.target.indexOf('?');
    return queryAt === -1 ? this.target : this.target.slice(0, queryAt);
  }

  /** Wall-clock start (epoch ms): a number, so an unread profile allocates no Date. */
  get startedAtEpochMs(): number {
    return this.times[STARTED_AT_EPOCH];
  }

  get totalMs(): number {
    return this.times[TOTAL];
  }

  set totalMs(ms: number) {
    this.times[TOTAL] = ms;
  }

  /** Time in statements (transaction control excluded). */
  get dbMs(): number {
    return this.times[DB];
  }

  get handlerStartMs(): number | undefined {
    return reached(this.times[HANDLER_START]);
  }

  set handlerStartMs(ms: number | undefined) {
    this.times[HANDLER_START] = ms ?? Number.NaN;
  }

  get handlerEndMs(): number | undefined {
    return reached(this.times[HANDLER_END]);
  }

  set handlerEndMs(ms: number | undefined) {
    this.times[HANDLER_END] = ms ?? Number.NaN;
  }

  now(): number {
    return performance.now() - this.times[ORIGIN];
  }

  /** Explicit stages (profiler.stage()), in order of completion. */
  get stages(): readonly StageRecord[] {
    return this.explicitStages ?? NO_ITEMS;
  }

  get queries(): readonly QueryRecord[] {
    return this.queryRecords ?? NO_ITEMS;
  }

  get checkouts(): readonly CheckoutRecord[] {
    return this.checkoutRecords ?? NO_ITEMS;
  }

  /** The distinct statements (normalized), in order of first run. */
  get statements(): readonly StatementShape[] {
    return this.statementShapes ?? NO_ITEMS;
  }

  get slowStatements(): readonly SlowStatement[] {
    return this.slowStatementList ?? NO_ITEMS;
  }

  get headersAtMs(): number | undefined {
    return reached(this.times[HEADERS_SENT]);
  }

  /** Hands the slow statements over once (to be explained) and forgets them. */
  takeSlowStatements(): readonly SlowStatement[] {
    const taken = this.slowStatements;
    this.slowStatementList = undefined;
    return taken;
  }

  recordStage(name: string, startMs: number, endMs: number): void {
    (this.explicitStages ??= []).push({ name, startMs, durationMs: endMs - startMs });
  }

  /** The stages are fixed from here on as the Server-Timing header shows them. */
  markHeadersSent(atMs: number): void {
    this.times[HEADERS_SENT] = atMs;
    this.stagesInHeaders = this.stages.length;
  }

  recordValidation(startMs: number, endMs: number): void {
    if (Number.isNaN(this.times[VALIDATION_START])) this.times[VALIDATION_START] = startMs;
    this.times[VALIDATION_END] = endMs;
  }

  /**
   * Lifecycle stages derived from the marks the middleware, interceptor and pipe left, then
   * `pool_wait` and the explicit stages; once the headers are out, the ones they showed. Handed to
   * `visitor` one by one rather than built: the headers and the metrics read them on every
   * response, and a profile waiting in the store holds only its marks.
   */
  eachStage(visitor: StageVisitor): void {
    const validationEnd = reached(this.times[VALIDATION_END]);
    const headersAt = this.headersAtMs;
    visitLifecycleStage(visitor, 'auth', 0, this.handlerStartMs);
    visitLifecycleStage(visitor, 'validation', reached(this.times[VALIDATION_START]), validationEnd);
    visitLifecycleStage(visitor, 'handler', validationEnd ?? this.handlerStartMs, this.handlerEndMs);
    visitLifecycleStage(visitor, 'serialization', this.handlerEndMs, headersAt);
    // A cache hit holds no session: no list to walk.
    if (this.checkoutRecords !== undefined) this.visitPoolWait(visitor, headersAt ?? Number.POSITIVE_INFINITY);
    const explicit = this.stages;
    const shown = this.stagesInHeaders ?? explicit.length;
    for (let index = 0; index < shown; index += 1) visitor.stage(explicit[index].name, explicit[index].startMs, explicit[index].durationMs);
  }

  /**
   * From the first queued checkout, the waits of the checkouts acquired by `untilMs` (a checkout is
   * recorded when acquired: one still waiting when the headers went out joins the list later, and
   * the listing must not change once they are out).
   */
  private visitPoolWait(visitor: StageVisitor, untilMs: number): void {
    const firstQueued = this.checkouts.find((checkout) => checkout.queued && acquiredAtMs(checkout) <= untilMs);
    if (firstQueued) visitor.stage('pool_wait', firstQueued.requestedMs, this.poolWaitMs(untilMs));
  }

  /** The stages of eachStage, as records. */
  allStages(): StageRecord[] {
    const records = new StageRecords();
    this.eachStage(records);
    return records.list;
  }

  /** The waits of the checkouts acquired by `untilMs` (all of them by default). */
  poolWaitMs(untilMs = Number.POSITIVE_INFINITY): number {
    return this.checkouts.reduce((sum, checkout) => (acquiredAtMs(checkout) <= untilMs ? sum + checkout.waitMs : sum), 0);
  }

  recordCheckout(requestedMs: number, acquiredMs: number, queued: boolean, server: string): number {
    const session = this.checkouts.length + 1;
    (this.checkoutRecords ??= []).push({ session, requestedMs, waitMs: acquiredMs - requestedMs, queued, server });
    return session;
  }

  recordRelease(session: number, releasedMs: number): void {
    const checkout = this.checkoutRecords?.[session - 1];
    if (checkout) checkout.releasedMs = releasedMs;
  }

  /**
   * The shape of a statement about to run. The same text maps to its shape without normalizing
   * again, so a statement repeated in a loop costs one map look-up.
   */
  shapeOf(text: string): StatementShape {
    this.shapesByText ??= new Map();
    let shape = this.shapesByText.get(text);
    if (!shape) {
      const sql = normalizeSql(text);
      shape = this.statements.find((known) => known.sql === sql);
      if (!shape) {
        shape = { index: this.statements.length, sql, text, transactionControl: isTransactionControl(text), started: 0, count: 0, totalMs: 0 };
        (this.statementShapes ??= []).push(shape);
      }
      this.shapesByText.set(text, shape);
    }
    return shape;
  }

  recordQuery(start: StatementStart, result: { durationMs: number; rows: number | null; session: number | null; error?: string }, params: unknown[] | undefined): void {
    const { shape } = start;
    shape.count += 1;
    shape.totalMs += result.durationMs;
    if (shape.transactionControl) {
      this.transactionControlCount += 1;
    } else {
      this.statementCount += 1;
      this.times[DB] += result.durationMs;
    }
    if (!shape.transactionControl && result.durationMs >= this.options.slowQueryMs && this.slowStatements.length < MAX_SLOW_STATEMENTS) {
      (this.slowStatementList ??= []).push({ sql: shape.text, normalizedSql: shape.sql, durationMs: result.durationMs });
    }
    if (this.queries.length >= MAX_RECORDED_QUERIES) {
      this.droppedQueries += 1;
      return;
    }
    const keepParams = this.options.captureParams && params !== undefined;
    (this.queryRecords ??= []).push({
      statement: shape.index,
      sql: shape.sql,
      startMs: start.startMs,
      stage: start.stage,
      transactionControl: shape.transactionControl,
      callSite: start.callSite,
      valuesHash: start.valuesHash,
      ...(start.relation && { relation: start.relation }),
      ...(start.allowedRepeat !== undefined && { allowedRepeat: start.allowedRepeat }),
      ...result,
      ...(keepParams && { params }),
    });
  }

  sessions(): number {
    return this.checkouts.length;
  }
}
