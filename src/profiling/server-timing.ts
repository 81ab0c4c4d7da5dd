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

// Lists reused by every call (formatting is synchronous), so a response allocates no list or map
// for its header: only the entry strings and the joined header.
const stageNames: string[] = [];
const stageDurations: number[] = [];
const entries: string[] = [];
let entriesLength = 0;

/** Adds an entry unless the header would pass MAX_SERVER_TIMING_LENGTH. */
function append(entry: string): boolean {
  const length = entries.length === 0 ? entry.length : entriesLength + 2 + entry.length;
  if (length > MAX_SERVER_TIMING_LENGTH) return false;
  entries.push(entry);
  entriesLength = length;
  return true;
}

/**
 * Same-named stages (a stage run in a loop) are summed, so the header does not grow with the
 * data; the first MAX_STAGE_ENTRIES names are kept.
 */
function sumStagesByName(profile: RequestProfile): void {
  stageNames.length = 0;
  stageDurations.length = 0;
  for (const stage of profile.allStages()) {
    const name = token(stage.name);
    const at = stageNames.indexOf(name);
    if (at !== -1) {
      stageDurations[at] += stage.durationMs;
    } else if (stageNames.length < MAX_STAGE_ENTRIES) {
      stageNames.push(name);
      stageDurations.push(stage.durationMs);
    }
  }
}

/**
 * W3C Server-Timing: `total`, one entry per stage, `db` with the statement count, `cache`.
 * Chrome DevTools shows it under Network > Timing. Entries past MAX_SERVER_TIMING_LENGTH are left out.
 */
export function formatServerTiming(profile: RequestProfile, totalMs: number): string {
  entries.length = 0;
  append(`total;dur=${duration(totalMs)}`);
  sumStagesByName(profile);
  let complete = true;
  for (let index = 0; index < stageNames.length && complete; index += 1) complete = append(`${stageNames[index]};dur=${duration(stageDurations[index])}`);
  const noun = profile.statementCount === 1 ? 'query' : 'queries';
  if (complete) complete = append(`db;dur=${duration(profile.dbMs)};desc="${profile.statementCount} ${noun}"`);
  if (complete && profile.cache) append(`cache;desc=${profile.cache}`);
  return entries.join(', ');
}
