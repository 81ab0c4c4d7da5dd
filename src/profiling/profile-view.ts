import type { CheckoutRecord, QueryRecord, RepeatedStatementFinding, RequestProfile, StageRecord } from './request-profile';
import { sessionUsage, SessionUsage } from './session-usage';

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export type QueryView = Omit<QueryRecord, 'valuesHash' | 'relation'>;

export interface StatementView {
  index: number;
  sql: string;
  count: number;
  totalMs: number;
  /** EXPLAIN can plan it (a SELECT, INSERT, UPDATE, DELETE, MERGE or VALUES; not BEGIN, SET, SHOW…). */
  explainable: boolean;
}

export type CheckoutView = Omit<CheckoutRecord, 'releasedMs'> & SessionUsage;

/** What is wrong with the request, counted (an allowRepeated() repetition is not a problem). */
export interface ProfileProblems {
  nPlusOne: number;
  duplicates: number;
  budgetExceeded: boolean;
  idleSessions: number;
  serverError: boolean;
}

/** The JSON form of a finished profile, as the profiler endpoints serve it. */
export interface ProfileView {
  id: string;
  method: string;
  route: string;
  path: string;
  status: number;
  startedAt: string;
  totalMs: number;
  statementCount: number;
  transactionControlCount: number;
  sessions: number;
  dbMs: number;
  poolWaitMs: number;
  cache: 'hit' | 'miss' | null;
  budget: { limit: number; reason: string | null; used: number; exceeded: boolean } | null;
  problems: ProfileProblems;
  stages: StageRecord[];
  statements: StatementView[];
  queries: QueryView[];
  checkouts: CheckoutView[];
  droppedQueries: number;
  findings: readonly RepeatedStatementFinding[];
}

/** The list form: the summary without the per-statement detail. */
export type ProfileSummary = Omit<ProfileView, 'stages' | 'statements' | 'queries' | 'checkouts' | 'findings'>;

/**
 * What a profile store keeps: the view, and server-side only the text of each statement as sent
 * (with `$n` placeholders, no values) so that EXPLAIN can plan it on any replica.
 */
export interface StoredProfile {
  view: ProfileView;
  statementTexts: string[];
}

const EXPLAINABLE = /^\s*\(?\s*(WITH|SELECT|INSERT|UPDATE|DELETE|MERGE|VALUES|TABLE)\b/i;

export function isExplainable(sql: string): boolean {
  return EXPLAINABLE.test(sql);
}

export function toStoredProfile(profile: RequestProfile): StoredProfile {
  return { view: toProfileView(profile), statementTexts: profile.statements.map((statement) => statement.text) };
}

export function toProfileSummary({ stages: _stages, statements: _statements, queries: _queries, checkouts: _checkouts, findings: _findings, ...summary }: ProfileView): ProfileSummary {
  return summary;
}

export function toProfileView(profile: RequestProfile): ProfileView {
  const roundStage = (stage: StageRecord) => ({ ...stage, startMs: round(stage.startMs), durationMs: round(stage.durationMs) });
  const checkouts = profile.checkouts.map((checkout) => viewOfCheckout(checkout, profile));
  const budgetExceeded = profile.budget !== undefined && profile.statementCount > profile.budget.limit;
  const problems = (kind: RepeatedStatementFinding['kind']) => profile.findings.filter((finding) => finding.kind === kind && finding.allowed === null).length;
  return {
    id: profile.id,
    method: profile.method,
    route: profile.route,
    path: profile.path,
    status: profile.status,
    startedAt: new Date(profile.startedAtEpochMs).toISOString(),
    totalMs: round(profile.totalMs),
    statementCount: profile.statementCount,
    transactionControlCount: profile.transactionControlCount,
    sessions: profile.sessions(),
    dbMs: round(profile.dbMs),
    poolWaitMs: round(profile.poolWaitMs()),
    cache: profile.cache ?? null,
    budget: profile.budget
      ? { limit: profile.budget.limit, reason: profile.budget.reason ?? null, used: profile.statementCount, exceeded: budgetExceeded }
      : null,
    problems: {
      nPlusOne: problems('n+1'),
      duplicates: problems('duplicate'),
      budgetExceeded,
      idleSessions: checkouts.filter((checkout) => checkout.idleFlagged).length,
      serverError: profile.status >= 500,
    },
    stages: [...profile.allStages()].sort((a, b) => a.startMs - b.startMs).map(roundStage),
    statements: profile.statements.map(({ index, sql, count, totalMs, transactionControl }) => ({
      index,
      sql,
      count,
      totalMs: round(totalMs),
      explainable: !transactionControl && isExplainable(sql),
    })),
    queries: profile.queries.map(({ valuesHash: _valuesHash, relation: _relation, ...query }) => ({
      ...query,
      startMs: round(query.startMs),
      durationMs: round(query.durationMs),
    })),
    checkouts,
    droppedQueries: profile.droppedQueries,
    findings: profile.findings,
  };
}

function viewOfCheckout(checkout: CheckoutRecord, profile: RequestProfile): CheckoutView {
  const usage = sessionUsage(checkout, profile.queries, profile.totalMs, profile.options.idleSessionMs);
  return {
    session: checkout.session,
    server: checkout.server,
    queued: checkout.queued,
    requestedMs: round(checkout.requestedMs),
    waitMs: round(checkout.waitMs),
    acquiredMs: round(usage.acquiredMs),
    releasedMs: usage.releasedMs === null ? null : round(usage.releasedMs),
    heldMs: round(usage.heldMs),
    inStatementsMs: round(usage.inStatementsMs),
    idleMs: round(usage.idleMs),
    idleFlagged: usage.idleFlagged,
  };
}
