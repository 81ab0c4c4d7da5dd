import type { RequestProfile } from './request-profile';

/** Proxies drop header blocks over 8 KB; the profile headers together stay far below this. */
export const MAX_SERVER_TIMING_LENGTH = 4096;
const MAX_STAGE_ENTRIES = 24;
/** Stage names come from code, so they are few; the bound only keeps a runaway caller from growing the memo. */
const MAX_MEMOIZED_TOKENS = 256;

/**
 * Milliseconds to one decimal, written from two small integers: V8 finds the shortest decimal
 * form of a fraction (0.4) in ~0.2 µs, and the header carries seven of them on every response.
 */
function duration(ms: number): string {
  const tenths = Math.round(ms * 10);
  const tenth = tenths % 10;
  const whole = (tenths - tenth) / 10;
  return tenth === 0 ? `${whole}` : `${whole}.${tenth}`;
}

const tokens = new Map<string, string>();

/** A metric name must be an RFC 7230 token. Each name is escaped once: the header is built on every /v1 response. */
function token(name: string): string {
  let escaped = tokens.get(name);
  if (escaped === undefined) {
    escaped = name.replace(/[^A-Za-z0-9!#$%&'*+.^_`|~-]/g, '_').slice(0, 40) || 'stage';
    if (tokens.size < MAX_MEMOIZED_TOKENS) tokens.set(name, escaped);
  }
  return escaped;
}

/** Adds `entry` unless the header would pass MAX_SERVER_TIMING_LENGTH (undefined then). */
function appended(header: string, entry: string): string | undefined {
  return header.length + 2 + entry.length > MAX_SERVER_TIMING_LENGTH ? undefined : `${header}, ${entry}`;
}

/**
 * W3C Server-Timing: `total`, one entry per stage, `db` with the statement count, `cache`.
 * Chrome DevTools shows it under Network > Timing. Same-named stages (a stage run in a loop) are
 * summed into the entry of the first, so the header does not grow with the data; entries past
 * MAX_STAGE_ENTRIES stages or MAX_SERVER_TIMING_LENGTH characters are left out. A request has a
 * handful of stages: comparing names pairwise costs less than a map per response.
 */
export function formatServerTiming(profile: RequestProfile, totalMs: number): string {
  let header = `total;dur=${duration(totalMs)}`;
  const stages = profile.allStages();
  let stageEntries = 0;
  nextStage: for (let index = 0; index < stages.length && stageEntries < MAX_STAGE_ENTRIES; index += 1) {
    const name = token(stages[index].name);
    for (let earlier = 0; earlier < index; earlier += 1) if (token(stages[earlier].name) === name) continue nextStage;
    let durationMs = stages[index].durationMs;
    for (let later = index + 1; later < stages.length; later += 1) if (token(stages[later].name) === name) durationMs += stages[later].durationMs;
    const withStage = appended(header, `${name};dur=${duration(durationMs)}`);
    if (withStage === undefined) return header;
    header = withStage;
    stageEntries += 1;
  }
  const noun = profile.statementCount === 1 ? 'query' : 'queries';
  const withDb = appended(header, `db;dur=${duration(profile.dbMs)};desc="${profile.statementCount} ${noun}"`);
  if (withDb === undefined) return header;
  return (profile.cache && appended(withDb, `cache;desc=${profile.cache}`)) || withDb;
}
