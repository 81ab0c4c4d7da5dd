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
 * The request's repeated statements, detected once: when the handler returns (strict mode needs
 * them then), or when the response headers go out for a request that never left a handler normally.
 * An N+1 is keyed on (statement, call site): the same statement sent from one place with other
 * values, `threshold` times or more ("batch"). A duplicate is the same statement with the same
 * values, twice or more, from wherever it was sent ("reuse the result"). Values are compared by
 * the hash the driver took, never by the values themselves.
 */
export function findingsOf(profile: RequestProfile, threshold: number): readonly RepeatedStatementFinding[] {
  if (!profile.findingsDetected) {
    if (profile.statementCount >= 2) profile.findings = detect(profile, threshold);
    profile.findingsDetected = true;
  }
  return profile.findings;
}

function detect(profile: RequestProfile, threshold: number): RepeatedStatementFinding[] {
  const findings: RepeatedStatementFinding[] = [];
  const inNPlusOne = new Set<number>();
  for (const group of groupRuns(profile.queries)) {
    const distinctValues = new Set(group.runs.map(({ query }) => query.valuesHash)).size;
    if (distinctValues < 2 || group.runs.length < threshold) continue;
    for (const { index } of group.runs) inNPlusOne.add(index);
    const relation = group.runs.find(({ query }) => query.relation)?.query.relation;
    findings.push(finding(group, 'n+1', distinctValues, batchFix(group, relation)));
  }
  for (const group of sameValueRuns(profile.queries, inNPlusOne)) {
    findings.push(finding(group, 'duplicate', 1, duplicateFix(group)));
  }
  return findings.sort((a, b) => a.queries[0] - b.queries[0]);
}

function finding(group: RunGroup, kind: RepeatedStatementFinding['kind'], distinctValues: number, fix: string): RepeatedStatementFinding {
  const relation = group.runs.find(({ query }) => query.relation)?.query.relation;
  const allowed = group.runs.every(({ query }) => query.allowedRepeat !== undefined) ? group.runs[0].query.allowedRepeat! : null;
  return {
    kind,
    statement: group.statement,
    sql: group.sql,
    callSite: group.callSite,
    count: group.runs.length,
    distinctValues,
    parallel: overlaps(group.runs.map(({ query }) => query)),
    relation: relation ? { entity: relation.entity, property: relation.property, target: relation.target } : null,
    fix,
    allowed,
    queries: group.runs.map(({ index }) => index),
  };
}

/** Runs of one statement with the same values, outside N+1 loops: each group of two or more. */
function sameValueRuns(queries: readonly QueryRecord[], exclude: Set<number>): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  queries.forEach((query, index) => {
    if (query.transactionControl || exclude.has(index)) return;
    const key = `${query.statement}\u0000${query.valuesHash}`;
    const group = groups.get(key) ?? { statement: query.statement, sql: query.sql, callSite: query.callSite, runs: [] };
    group.callSite ??= query.callSite;
    group.runs.push({ query, index });
    groups.set(key, group);
  });
  return [...groups.values()].filter((group) => group.runs.length >= 2);
}

/**
 * Runs of one statement grouped by call site. Only some runs have one (call-sites.ts bounds the
 * cost): a run without joins its statement's group when the statement has a single known site.
 */
function groupRuns(queries: readonly QueryRecord[]): RunGroup[] {
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

function duplicateFix(group: RunGroup): string {
  const sites = [...new Set(group.runs.flatMap(({ query }) => (query.callSite ? [describeSite(query.callSite.at)] : [])))];
  const where = sites.length > 0 ? ` at ${sites.join(' and ')}` : '';
  return `The same statement ran ${group.runs.length} times with the same values${where}: run it once and reuse the result (pass it to the callers, or keep it for the request).`;
}

function batchFix(group: RunGroup, relation: RelationLoad | undefined): string {
  const count = group.runs.length;
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
