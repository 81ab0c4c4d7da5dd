import type { RequestProfile, StageRecord } from './request-profile';

/** Proxies drop header blocks over 8 KB; the profile headers together stay far below this. */
export const MAX_SERVER_TIMING_LENGTH = 4096;
const MAX_STAGE_ENTRIES = 24;

const round = (ms: number) => Math.round(ms * 10) / 10;

/** A metric name must be an RFC 7230 token. */
function token(name: string): string {
  return name.replace(/[^A-Za-z0-9!#$%&'*+.^_`|~-]/g, '_').slice(0, 40) || 'stage';
}

/** Same-named stages (a stage run in a loop) are summed, so the header does not grow with the data. */
function mergeByName(stages: StageRecord[]): Array<{ name: string; durationMs: number }> {
  const totals = new Map<string, number>();
  for (const stage of stages) totals.set(token(stage.name), (totals.get(token(stage.name)) ?? 0) + stage.durationMs);
  return [...totals].map(([name, durationMs]) => ({ name, durationMs }));
}

/**
 * W3C Server-Timing: `total`, one entry per stage, `db` with the statement count, `cache`.
 * Chrome DevTools shows it under Network > Timing.
 */
export function formatServerTiming(profile: RequestProfile, totalMs: number): string {
  const entries = [`total;dur=${round(totalMs)}`];
  const stages = mergeByName(profile.allStages()).slice(0, MAX_STAGE_ENTRIES);
  for (const stage of stages) entries.push(`${stage.name};dur=${round(stage.durationMs)}`);
  const noun = profile.statementCount === 1 ? 'query' : 'queries';
  entries.push(`db;dur=${round(profile.dbMs)};desc="${profile.statementCount} ${noun}"`);
  if (profile.cache) entries.push(`cache;desc=${profile.cache}`);

  let header = '';
  for (const entry of entries) {
    const next = header ? `${header}, ${entry}` : entry;
    if (next.length > MAX_SERVER_TIMING_LENGTH) break;
    header = next;
  }
  return header;
}
