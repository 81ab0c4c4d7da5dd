import { FewNames } from './few-names';
import type { LifecyclePhase, RequestProfile, StageList } from './request-profile';

/** Proxies drop header blocks over 8 KB; the profile headers together stay far below this. */
export const MAX_SERVER_TIMING_LENGTH = 4096;
const MAX_STAGE_ENTRIES = 24;
/** Stage names come from code, so they are few; the bound only keeps a runaway caller from growing the memo. */
const MAX_MEMOIZED_STAGE_NAMES = 256;

/** A duration as the header writes it: a whole number of tenths of a millisecond. */
function tenthsOf(ms: number): number {
  return Math.round(ms * 10);
}

/** Durations under a second are written once and reused: 10,000 strings at most. */
const MEMOIZED_TENTHS = 10_000;
const writtenTenths: Array<string | undefined> = new Array(MEMOIZED_TENTHS);

/**
 * Milliseconds to one decimal, written from two small integers (V8 finds the shortest decimal
 * form of a fraction in ~0.2 µs) and kept by their count of tenths: the header carries seven
 * durations on every response, and they repeat.
 */
function duration(ms: number): string {
  const tenths = tenthsOf(ms);
  if (tenths >= 0 && tenths < MEMOIZED_TENTHS) return (writtenTenths[tenths] ??= tenthsToString(tenths));
  return tenthsToString(tenths);
}

function tenthsToString(tenths: number): string {
  const tenth = tenths % 10;
  const whole = (tenths - tenth) / 10;
  return tenth === 0 ? `${whole}` : `${whole}.${tenth}`;
}

const CACHE_HIT_ENTRY = ', cache;desc=hit';
const CACHE_MISS_ENTRY = ', cache;desc=miss';

/** An entry written out, where it is not memoized. */
function entryText(start: string, ms: number, end = ''): string {
  return start + duration(ms) + end;
}

/** Entries whose duration is under this many tenths (100 ms) are written once per kind and reused. */
const MEMOIZED_ENTRY_TENTHS = 1000;

/**
 * The entries of one kind (`, handler;dur=0.4`), each written once, as flat strings. Concatenated
 * from pieces, the header was some fifteen cons strings per response, every one allocated, then
 * walked again when the socket flattened the header block; whole entries make it a handful.
 * Written with `join`, which makes a flat string, where `+` would make a memoized entry a small
 * tree of its own to walk on every response.
 */
class DurationEntries {
  private readonly written: Array<string | undefined> = new Array(MEMOIZED_ENTRY_TENTHS);

  constructor(
    private readonly start: string,
    private readonly end = '',
  ) {}

  of(ms: number): string {
    const tenths = tenthsOf(ms);
    if (tenths >= 0 && tenths < MEMOIZED_ENTRY_TENTHS) return (this.written[tenths] ??= [this.start, duration(ms), this.end].join(''));
    return entryText(this.start, ms, this.end);
  }
}

const totalEntries = new DurationEntries('total;dur=');

/** Statement counts below this have their db entries kept (a request's count is small). */
const MEMOIZED_COUNTS = 100;
const dbEntriesByCount: Array<DurationEntries | undefined> = new Array(MEMOIZED_COUNTS);

const DB_ENTRY_START = ', db;dur=';

/** `, db;dur=<ms>;desc="N queries"`. */
function dbEntry(ms: number, count: number): string {
  if (count < MEMOIZED_COUNTS) return (dbEntriesByCount[count] ??= new DurationEntries(DB_ENTRY_START, describeCount(count))).of(ms);
  return entryText(DB_ENTRY_START, ms, describeCount(count));
}

function describeCount(count: number): string {
  return `;desc="${count} ${count === 1 ? 'query' : 'queries'}"`;
}

const stageEntryKinds = new FewNames<DurationEntries>(MAX_MEMOIZED_STAGE_NAMES);

/** `, <name>;dur=`: a stage's entry up to its duration, with the name made an RFC 7230 token. */
function stageEntryStart(name: string): string {
  return `, ${name.replace(/[^A-Za-z0-9!#$%&'*+.^_`|~-]/g, '_').slice(0, 40) || 'stage'};dur=`;
}

/** A stage's entry; its kind is made once per stage name (names come from code), past the memo's capacity each time. */
function stageEntry(name: string, ms: number): string {
  const entries = stageEntryKinds.get(name) ?? (stageEntryKinds.full ? undefined : stageEntryKinds.keep(name, new DurationEntries(stageEntryStart(name))));
  return entries === undefined ? entryText(stageEntryStart(name), ms) : entries.of(ms);
}

/**
 * The entries of the header being written, kept from one response to the next (responses are
 * closed one at a time, synchronously) and joined once: one flat string, where `+` would make a
 * tree of strings that writing the header block walks again.
 */
class HeaderEntries {
  private readonly entries: string[] = [];
  private length = 0;

  start(first: string): void {
    this.entries.length = 0;
    this.entries.push(first);
    this.length = first.length;
  }

  /** Adds `entry` unless the header would pass MAX_SERVER_TIMING_LENGTH; false then. */
  add(entry: string): boolean {
    if (this.length + entry.length > MAX_SERVER_TIMING_LENGTH) return false;
    this.entries.push(entry);
    this.length += entry.length;
    return true;
  }

  joined(): string {
    return this.entries.join('');
  }
}

const header = new HeaderEntries();

/**
 * W3C Server-Timing: `total`, one entry per stage of `stages` (the profile's, listed for this
 * response), `db` with the statement count, `cache`.
 * Chrome DevTools shows it under Network > Timing. Same-named stages (a stage run in a loop) are
 * summed into the entry of the first, so the header does not grow with the data; entries past
 * MAX_STAGE_ENTRIES stages or MAX_SERVER_TIMING_LENGTH characters are left out. A request has a
 * handful of stages: comparing names pairwise costs less than a map per response.
 */
function writeServerTiming(profile: RequestProfile, stages: StageList): string {
  const { names, durations, count } = stages;
  header.start(totalEntries.of(profile.totalMs));
  let stageEntries = 0;
  nextStage: for (let index = 0; index < count && stageEntries < MAX_STAGE_ENTRIES; index += 1) {
    const name = names[index];
    for (let earlier = 0; earlier < index; earlier += 1) if (names[earlier] === name) continue nextStage;
    let durationMs = durations[index];
    for (let later = index + 1; later < count; later += 1) if (names[later] === name) durationMs += durations[later];
    if (!header.add(stageEntry(name, durationMs))) return header.joined();
    stageEntries += 1;
  }
  // Compared, not looked up by name: a keyed load with a string key is a generic look-up in V8.
  if (header.add(dbEntry(profile.dbMs, profile.statementCount)) && profile.cache !== undefined) header.add(profile.cache === 'hit' ? CACHE_HIT_ENTRY : CACHE_MISS_ENTRY);
  return header.joined();
}

/** The stages a request lists when it recorded none of its own and held no session (RequestProfile.eachStage). */
const LIFECYCLE_STAGES: readonly LifecyclePhase[] = ['auth', 'validation', 'handler', 'serialization'];
// The parts of a memoized header's key, in tenths of a millisecond: their product stays under
// 2^30, a small integer in V8, which a Map hashes without touching the heap.
const KEYED_TOTAL_TENTHS = 128;
const KEYED_STAGE_TENTHS = 64;
const KEYED_VALIDATION_TENTHS = 8;
const CACHE_RESULTS = 3;
const NOT_KEYED = -1;
/** The key admits some 800 million values: the bound keeps the memo under ~2 MB whatever the timings. */
const MAX_MEMOIZED_HEADERS = 10_000;
const memoizedHeaders = new Map<number, string>();

function tenthsUnder(ms: number, bound: number): number {
  const tenths = tenthsOf(ms);
  return tenths >= 0 && tenths < bound ? tenths : NOT_KEYED;
}

/**
 * The key of a header that names only the total, the four lifecycle stages, no statement and the
 * cache result, from their durations in tenths (what the header writes); NOT_KEYED for any other.
 */
function lifecycleKey(profile: RequestProfile, stages: StageList): number {
  if (profile.statementCount !== 0 || stages.count !== LIFECYCLE_STAGES.length) return NOT_KEYED;
  const { names, durations } = stages;
  for (let index = 0; index < LIFECYCLE_STAGES.length; index += 1) if (names[index] !== LIFECYCLE_STAGES[index]) return NOT_KEYED;
  const total = tenthsUnder(profile.totalMs, KEYED_TOTAL_TENTHS);
  const auth = tenthsUnder(durations[0], KEYED_STAGE_TENTHS);
  const validation = tenthsUnder(durations[1], KEYED_VALIDATION_TENTHS);
  const handler = tenthsUnder(durations[2], KEYED_STAGE_TENTHS);
  const serialization = tenthsUnder(durations[3], KEYED_STAGE_TENTHS);
  if (total === NOT_KEYED || auth === NOT_KEYED || validation === NOT_KEYED || handler === NOT_KEYED || serialization === NOT_KEYED) return NOT_KEYED;
  const cache = profile.cache === undefined ? 0 : profile.cache === 'hit' ? 1 : 2;
  return ((((total * KEYED_STAGE_TENTHS + auth) * KEYED_VALIDATION_TENTHS + validation) * KEYED_STAGE_TENTHS + handler) * KEYED_STAGE_TENTHS + serialization) * CACHE_RESULTS + cache;
}

/**
 * The Server-Timing value of `profile` (writeServerTiming). A request that ran no statement and
 * recorded no stage of its own, a cache hit above all, has a header fixed by five rounded durations
 * and its cache result: those headers are written once and found by one look-up of a number, where
 * writing one is seven memo look-ups and a join (0.5–1.5 µs per cached request by `npm run
 * bench:profiler-cpu`, docs/benchmarks.md, "Seventeenth sitting").
 */
export function formatServerTiming(profile: RequestProfile, stages: StageList): string {
  const key = lifecycleKey(profile, stages);
  if (key === NOT_KEYED) return writeServerTiming(profile, stages);
  const known = memoizedHeaders.get(key);
  if (known !== undefined) return known;
  const written = writeServerTiming(profile, stages);
  if (memoizedHeaders.size < MAX_MEMOIZED_HEADERS) memoizedHeaders.set(key, written);
  return written;
}
