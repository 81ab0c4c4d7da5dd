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

/** Same-named stages (a stage run in a loop) are summed, so the header does not grow with the data. */
function stageTotals(profile: RequestProfile): Map<string, number> {
  const totals = new Map<string, number>();
  for (const stage of profile.allStages()) {
    const name = token(stage.name);
    totals.set(name, (totals.get(name) ?? 0) + stage.durationMs);
  }
  return totals;
}

/**
 * W3C Server-Timing: `total`, one entry per stage, `db` with the statement count, `cache`.
 * Chrome DevTools shows it under Network > Timing. Entries past MAX_SERVER_TIMING_LENGTH are left out.
 */
export function formatServerTiming(profile: RequestProfile, totalMs: number): string {
  let header = `total;dur=${duration(totalMs)}`;
  const append = (entry: string): boolean => {
    if (header.length + 2 + entry.length > MAX_SERVER_TIMING_LENGTH) return false;
    header += `, ${entry}`;
    return true;
  };
  let stageEntries = 0;
  for (const [name, durationMs] of stageTotals(profile)) {
    if (stageEntries === MAX_STAGE_ENTRIES) break;
    stageEntries += 1;
    if (!append(`${name};dur=${duration(durationMs)}`)) return header;
  }
  const noun = profile.statementCount === 1 ? 'query' : 'queries';
  if (!append(`db;dur=${duration(profile.dbMs)};desc="${profile.statementCount} ${noun}"`)) return header;
  if (profile.cache) append(`cache;desc=${profile.cache}`);
  return header;
}
