import type { NPlusOneFinding, QueryRecord, RequestProfile } from './request-profile';

const HINT =
  'The same statement ran once per item: load all items in one query over the list of ids ' +
  '(WHERE id = ANY($1)) or with a join, then group the rows in memory.';

function overlaps(runs: QueryRecord[]): boolean {
  const sorted = [...runs].sort((a, b) => a.startMs - b.startMs);
  return sorted.some((run, index) => index > 0 && run.startMs < sorted[index - 1].startMs + sorted[index - 1].durationMs);
}

/** The same normalized statement run `threshold` times or more in one request, in sequence or in parallel. */
export function detectNPlusOne(profile: RequestProfile, threshold: number): NPlusOneFinding[] {
  if (profile.statementCount < threshold) return [];
  return profile.repeatedStatements(threshold).map(({ sql, count }) => ({
    sql,
    count,
    parallel: overlaps(profile.queries.filter((query) => query.sql === sql)),
    hint: HINT,
  }));
}
