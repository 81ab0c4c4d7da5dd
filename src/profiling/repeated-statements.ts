import type { CallSite, StatementOrigin } from './call-sites';
import type { QueryRecord, RelationLoad, RepeatedStatementFinding, RequestProfile } from './request-profile';

interface RunGroup {
  statement: number;
  sql: string;
  callSite: StatementOrigin | null;
  runs: Array<{ query: QueryRecord; index: number }>;
}

const siteKey = (origin: StatementOrigin | null) => (origin ? `${origin.at.file}:${origin.at.line}` : '');
const describeSite = (site: CallSite) => `${site.file}:${site.line} (${site.function})`;

/**
 * Repeated statements, keyed on (statement, call site): the same statement with the same values
 * is a duplicate ("reuse the result", from 2 runs), with different values an N+1 ("batch", from
 * `threshold` runs). Values are compared by the hash the driver took, never by the values.
 */
export function detectRepeatedStatements(profile: RequestProfile, threshold: number): RepeatedStatementFinding[] {
  return groupRuns(profile.queries).flatMap((group) => {
    const distinctValues = new Set(group.runs.map(({ query }) => query.valuesHash)).size;
    const count = group.runs.length;
    const kind = distinctValues === 1 ? (count >= 2 ? 'duplicate' : undefined) : count >= threshold ? 'n+1' : undefined;
    if (!kind) return [];
    const relation = group.runs.find(({ query }) => query.relation)?.query.relation;
    const allowed = group.runs.every(({ query }) => query.allowedRepeat !== undefined) ? group.runs[0].query.allowedRepeat! : null;
    return [
      {
        kind,
        statement: group.statement,
        sql: group.sql,
        callSite: group.callSite,
        count,
        distinctValues,
        parallel: overlaps(group.runs.map(({ query }) => query)),
        relation: relation ? { entity: relation.entity, property: relation.property, target: relation.target } : null,
        fix: kind === 'duplicate' ? duplicateFix(group, count) : batchFix(group, count, relation),
        allowed,
        queries: group.runs.map(({ index }) => index),
      },
    ];
  });
}

/**
 * Runs of one statement grouped by call site. Only some runs have one (call-sites.ts bounds the
 * cost): a run without joins its statement's group when the statement has a single known site.
 */
function groupRuns(queries: QueryRecord[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  const unplaced: Array<{ query: QueryRecord; index: number }> = [];
  queries.forEach((query, index) => {
    if (query.transactionControl) return;
    if (!query.callSite) return unplaced.push({ query, index });
    const key = `${query.statement}\u0000${siteKey(query.callSite)}`;
    const group = groups.get(key) ?? { statement: query.statement, sql: query.sql, callSite: query.callSite, runs: [] };
    group.runs.push({ query, index });
    groups.set(key, group);
  });
  for (const run of unplaced) {
    const sited = [...groups.values()].filter((group) => group.statement === run.query.statement);
    const group = sited.length === 1 ? sited[0] : groupWithoutSite(groups, run.query);
    group.runs.push(run);
  }
  for (const group of groups.values()) group.runs.sort((a, b) => a.index - b.index);
  return [...groups.values()].sort((a, b) => a.runs[0].index - b.runs[0].index);
}

function groupWithoutSite(groups: Map<string, RunGroup>, query: QueryRecord): RunGroup {
  const key = `${query.statement}\u0000`;
  let group = groups.get(key);
  if (!group) {
    group = { statement: query.statement, sql: query.sql, callSite: null, runs: [] };
    groups.set(key, group);
  }
  return group;
}

function overlaps(runs: QueryRecord[]): boolean {
  const sorted = [...runs].sort((a, b) => a.startMs - b.startMs);
  return sorted.some((run, index) => index > 0 && run.startMs < sorted[index - 1].startMs + sorted[index - 1].durationMs);
}

function where(group: RunGroup): string {
  return group.callSite ? ` at ${describeSite(group.callSite.at)}` : '';
}

function duplicateFix(group: RunGroup, count: number): string {
  return `The same statement ran ${count} times with the same values${where(group)}: run it once and reuse the result (pass it to the callers, or keep it for the request).`;
}

function batchFix(group: RunGroup, count: number, relation: RelationLoad | undefined): string {
  if (relation) {
    const alias = relation.entity.charAt(0).toLowerCase() + relation.entity.slice(1);
    return (
      `${relation.entity}.${relation.property} was loaded once per ${relation.entity} (${count} times${where(group)}): load it for all of them at once, ` +
      `with a join where the ${relation.entity} rows are read (.leftJoinAndSelect('${alias}.${relation.property}', '${relation.property}')), ` +
      `or one statement over all keys (SELECT … FROM "${relation.table}" WHERE "${relation.column}" = ANY($1)) and group the rows by "${relation.column}".`
    );
  }
  const filter = filteredColumn(group.sql);
  if (filter) {
    return (
      `The same statement ran ${count} times with other values${where(group)}: send it once for all of them ` +
      `(SELECT … FROM "${filter.table}" WHERE "${filter.column}" = ANY($1) with the list of values) and group the rows by "${filter.column}" in memory.`
    );
  }
  return `The same statement ran ${count} times with other values${where(group)}: send it once for all of them (a list parameter with = ANY($1), or a join) and group the rows in memory.`;
}

/** The table and the column a statement filters on with a bind value, read from its normalized text. */
function filteredColumn(sql: string): { table: string; column: string } | undefined {
  const table = /\bFROM\s+"?([A-Za-z_][\w]*)"?/i.exec(sql)?.[1];
  const column = /\bWHERE\b.*?(?:"?[A-Za-z_]\w*"?\.)?"?([A-Za-z_]\w*)"?\s*=\s*\?/i.exec(sql)?.[1];
  return table && column ? { table, column } : undefined;
}
