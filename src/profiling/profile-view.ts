import type { CheckoutRecord, NPlusOneFinding, QueryRecord, RequestProfile, StageRecord } from './request-profile';

const round = (ms: number) => Math.round(ms * 1000) / 1000;

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
  stages: StageRecord[];
  queries: QueryRecord[];
  checkouts: CheckoutRecord[];
  droppedQueries: number;
  nPlusOne: NPlusOneFinding[];
}

export function toProfileView(profile: RequestProfile): ProfileView {
  const roundStage = (stage: StageRecord) => ({ ...stage, startMs: round(stage.startMs), durationMs: round(stage.durationMs) });
  return {
    id: profile.id,
    method: profile.method,
    route: profile.route,
    path: profile.path,
    status: profile.status,
    startedAt: profile.startedAt.toISOString(),
    totalMs: round(profile.totalMs),
    statementCount: profile.statementCount,
    transactionControlCount: profile.transactionControlCount,
    sessions: profile.sessions(),
    dbMs: round(profile.dbMs),
    poolWaitMs: round(profile.poolWaitMs()),
    cache: profile.cache ?? null,
    budget: profile.budget
      ? { limit: profile.budget.limit, reason: profile.budget.reason ?? null, used: profile.statementCount, exceeded: profile.statementCount > profile.budget.limit }
      : null,
    stages: [...profile.allStages()].sort((a, b) => a.startMs - b.startMs).map(roundStage),
    queries: profile.queries.map((query) => ({ ...query, startMs: round(query.startMs), durationMs: round(query.durationMs) })),
    checkouts: profile.checkouts.map((checkout) => ({ ...checkout, requestedMs: round(checkout.requestedMs), waitMs: round(checkout.waitMs) })),
    droppedQueries: profile.droppedQueries,
    nPlusOne: profile.nPlusOne,
  };
}
