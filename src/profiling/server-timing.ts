import type { RequestProfile } from './request-profile';

/** Proxies drop header blocks over 8 KB; the profile headers together stay far below this. */
export const MAX_SERVER_TIMING_LENGTH = 4096;
const MAX_STAGE_ENTRIES = 24;
/** Stage names come from code, so they are few; the bound only keeps a runaway caller from growing the memo. */
const MAX_MEMOIZED_TOKENS = 256;

/**
 * Milliseconds to one decimal ("12.3", "4", "0"), from integer tenths: formatting a fraction
 * allocates a new string each time, while small integers come from V8's number-string cache.
 */
function formatMs(ms: number): string {
  const tenths = Math.round(ms * 10);
  const fraction = tenths % 10;
  return fraction === 0 ? String(tenths / 10) : `${(tenths - fraction) / 10}.${fraction}`;
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

/**
 * W3C Server-Timing: `total`, one entry per stage, `db` with the statement count, `cache`.
 * Chrome DevTools shows it under Network > Timing. Same-named stages (a stage run in a loop) are
 * summed, so the header does not grow with the data; entries past MAX_SERVER_TIMING_LENGTH are left out.
 */
export function formatServerTiming(profile: RequestProfile, totalMs: number): string {
  let header = `total;dur=${formatMs(totalMs)}`;
  const append = (entry: string): boolean => {
    if (header.length + 2 + entry.length > MAX_SERVER_TIMING_LENGTH) return false;
    header += `, ${entry}`;
    return true;
  };
  // A handful of stages: each name is summed where it first occurs, with no map or array built (this runs on every /v1 response).
  const stages = profile.allStages();
  let stageEntries = 0;
  for (let index = 0; index < stages.length && stageEntries < MAX_STAGE_ENTRIES; index += 1) {
    const name = token(stages[index].name);
    if (stages.findIndex((stage) => token(stage.name) === name) !== index) continue;
    let durationMs = 0;
    for (let later = index; later < stages.length; later += 1) if (token(stages[later].name) === name) durationMs += stages[later].durationMs;
    stageEntries += 1;
    if (!append(`${name};dur=${formatMs(durationMs)}`)) return header;
  }
  const noun = profile.statementCount === 1 ? 'query' : 'queries';
  if (!append(`db;dur=${formatMs(profile.dbMs)};desc="${profile.statementCount} ${noun}"`)) return header;
  if (profile.cache) append(`cache;desc=${profile.cache}`);
  return header;
}
