import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { PROFILER_TOKEN_HEADER } from '../src/profiling/profiler-access.guard';
import { eventually } from '../test/support/eventually';
import { startApi, type RunSecrets } from './api-under-test';
import { comparedScenarios } from './compare-builds';
import type { DbRelay } from './db-relay';
import { loadBookableSlots, type Fixtures } from './fixtures';
import { type HttpRequest, percentile } from './measure';
import type { ServerProcess } from './processes';
import type { RoundTripResult } from './results-model';
import type { BenchUser } from './scenarios';

type ApiScenario = ReturnType<typeof comparedScenarios>[number];

/** Straight to PostgreSQL, through the relay without its delay, and with it. */
const SIDES = ['direct', 'undelayed', 'relayed'] as const;
type Side = (typeof SIDES)[number];

interface RoundTripSettings {
  dbRttMs: number;
  /** Measured requests per side. */
  requests: number;
  warmupRequests: number;
  profilerToken: string;
  runId: string;
}

/** Profiles read per scenario for its transaction-control statements, which no header counts. */
const PROFILED_REQUESTS = 3;

/** Requests per side; at one connection a p50 settles within a few hundred. */
function roundTripLoad(quick: boolean): Pick<RoundTripSettings, 'requests' | 'warmupRequests'> & { bookingsNeeded: number } {
  const load = quick ? { requests: 30, warmupRequests: 10 } : { requests: 300, warmupRequests: 30 };
  // Every side, warm-up included, and the profiled requests.
  return { ...load, bookingsNeeded: SIDES.length * (load.requests + load.warmupRequests) + PROFILED_REQUESTS };
}

export interface RoundTripPass {
  relay: DbRelay;
  /** Straight to PostgreSQL. */
  directUrl: string;
  dbRttMs: number;
  quick: boolean;
  cpuProfile: boolean;
  secrets: RunSecrets;
  harness: DataSource;
  fixtures: Fixtures;
  user: BenchUser;
  runId: string;
  /** Where the pass registers how to stop the processes it starts should the run fail. */
  stops: Array<() => Promise<unknown>>;
  log: (line: string) => void;
}

/** Three fresh API processes, straight to PostgreSQL and through the relay without and with the delay, through every API scenario; stops them after. */
export async function runRoundTripPass(pass: RoundTripPass): Promise<RoundTripResult[]> {
  pass.log(`\nRound trips per request: each API scenario at 1 connection, straight to PostgreSQL, through the relay without delay and with it (+${pass.dbRttMs} ms per round trip)`);
  const [direct, undelayed, relayed] = await Promise.all([pass.directUrl, pass.relay.undelayedUrl, pass.relay.url].map((url) => startApi(url, pass.secrets, true, pass.cpuProfile)));
  const servers = { direct, undelayed, relayed };
  const stopAll = () => Promise.all(Object.values(servers).map((server) => server.stop()));
  pass.stops.unshift(stopAll);
  const load = roundTripLoad(pass.quick);
  const slots = await loadBookableSlots(pass.harness, pass.fixtures.bookingVenueIds, load.bookingsNeeded);
  const scenarios = comparedScenarios(pass.fixtures, slots, pass.user.authorization, `${pass.runId}-round-trips`);
  await pass.relay.poll(true);
  try {
    const settings = { ...load, dbRttMs: pass.dbRttMs, profilerToken: pass.secrets.profilerToken, runId: pass.runId };
    return await measureRoundTrips(servers, pass.relay, scenarios, settings, pass.log);
  } finally {
    await pass.relay.poll(false);
    await stopAll();
  }
}

/** One request, timed from send to the last byte of the body. */
async function timedRequest(baseUrl: string, request: HttpRequest, extraHeaders: Record<string, string> = {}): Promise<{ ms: number; ok: boolean; statements: number | null }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, body: request.body, headers: { ...request.headers, ...extraHeaders } });
  await response.arrayBuffer();
  const ms = performance.now() - started;
  const statements = response.headers.get('x-query-count');
  return { ms, ok: response.ok, statements: statements === null ? null : Number(statements) };
}

const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length);

/**
 * Round trips per request, read off latency: each API scenario at ONE connection on three API
 * processes started alike: straight to PostgreSQL, through the relay without delay, and through
 * it with the delay. At one connection nothing queues, so the delayed p50 exceeds the undelayed
 * one by the delay of every round trip the request waited for; with ten, a CPU-bound process
 * overlaps the delays of some requests with the work of others and hides them. The undelayed
 * side takes the relay's own cost (a process hop, a core polling) out of the difference; the
 * direct one shows that cost. Requests rotate between the three, so whatever else the machine
 * does in the meantime falls on all alike.
 */
async function measureRoundTrips(
  servers: Record<Side, ServerProcess>,
  relay: DbRelay,
  scenarios: ApiScenario[],
  settings: RoundTripSettings,
  log: (line: string) => void,
): Promise<RoundTripResult[]> {
  const results: RoundTripResult[] = [];
  for (const scenario of scenarios) {
    const latencies: Record<Side, number[]> = { direct: [], undelayed: [], relayed: [] };
    const relayedStatements: number[] = [];
    let errors = 0;
    for (let index = 0; index < settings.warmupRequests + settings.requests; index += 1) {
      if (index === settings.warmupRequests) await relay.takeStats();
      for (const side of [...SIDES.slice(index % SIDES.length), ...SIDES.slice(0, index % SIDES.length)]) {
        const timed = await timedRequest(servers[side].baseUrl, scenario.next());
        if (index < settings.warmupRequests) continue;
        if (!timed.ok) {
          errors += 1;
          continue;
        }
        latencies[side].push(timed.ms);
        if (side === 'relayed' && timed.statements !== null) relayedStatements.push(timed.statements);
      }
    }
    const relayStats = await relay.takeStats();
    const [p50DirectMs, p50UndelayedMs, p50RelayedMs] = SIDES.map((side) => percentile(Float64Array.from(latencies[side]).sort(), 50));
    const result: RoundTripResult = {
      scenario: scenario.name,
      requestsPerSide: settings.requests,
      p50DirectMs,
      p50UndelayedMs,
      p50RelayedMs,
      inferredRoundTrips: p50UndelayedMs === null || p50RelayedMs === null ? null : (p50RelayedMs - p50UndelayedMs) / settings.dbRttMs,
      statementsPerRequest: mean(relayedStatements),
      relayRoundTripsPerRequest: relayStats && relayStats.roundTrips / settings.requests,
      relayLateness: relayStats?.lateness ?? null,
      transactionControlPerRequest: await transactionControlPerRequest(servers.relayed, scenario, settings),
      errors,
    };
    results.push(result);
    log(roundTripLine(result, settings.dbRttMs));
  }
  return results;
}

/** The profiler's round trips: statements plus BEGIN/COMMIT/ROLLBACK/SAVEPOINT; null when not both known. */
export function profiledRoundTrips(result: RoundTripResult): number | null {
  return result.statementsPerRequest === null || result.transactionControlPerRequest === null ? null : result.statementsPerRequest + result.transactionControlPerRequest;
}

/** Round trips differing from the profiler's count by more than this are a finding. */
export const ROUND_TRIP_MISMATCH = 0.5;

/**
 * Which measure disagrees with the profiler: `timing` (the inference; statements sent in
 * parallel, or a noisy machine) and `relay` (the count; a round trip the profiler does not see).
 */
export function roundTripMismatches(result: RoundTripResult): string[] {
  const profiled = profiledRoundTrips(result);
  if (profiled === null) return [];
  const measured = { timing: result.inferredRoundTrips, relay: result.relayRoundTripsPerRequest };
  return Object.entries(measured)
    .filter(([, value]) => value !== null && Math.abs(value - profiled) > ROUND_TRIP_MISMATCH)
    .map(([measure]) => measure);
}

const fixed = (value: number | null, digits: number) => (value === null ? '-' : value.toFixed(digits));

function roundTripLine(result: RoundTripResult, dbRttMs: number): string {
  const mismatches = roundTripMismatches(result);
  return `  ${result.scenario.padEnd(20)} p50 direct ${fixed(result.p50DirectMs, 2)}, +0 ${fixed(result.p50UndelayedMs, 2)}, +${dbRttMs} ms ${fixed(result.p50RelayedMs, 2)}: ${fixed(result.inferredRoundTrips, 2)} round trips inferred, profiler ${fixed(profiledRoundTrips(result), 2)} (${fixed(result.statementsPerRequest, 2)} statements + ${fixed(result.transactionControlPerRequest, 2)} transaction control), relay counted ${fixed(result.relayRoundTripsPerRequest, 2)}, relay late p50 ${fixed(result.relayLateness?.p50Us ?? null, 0)} µs${mismatches.length > 0 ? `  MISMATCH (${mismatches.join(', ')})` : ''}${result.errors > 0 ? `  ${result.errors} errors` : ''}`;
}

/** Mean transaction-control statements of a few requests, from their profiles (the request id is the bench's). */
async function transactionControlPerRequest(server: ServerProcess, scenario: ApiScenario, settings: RoundTripSettings): Promise<number | null> {
  let total = 0;
  for (let index = 0; index < PROFILED_REQUESTS; index += 1) {
    const requestId = `round-trips-${settings.runId}-${scenario.name}-${index}`;
    if (!(await timedRequest(server.baseUrl, scenario.next(), { 'x-request-id': requestId })).ok) return null;
    // The profile is stored when the response finishes, which the client may see a moment before.
    let profile: { transactionControlCount: number } | undefined;
    await eventually(async () => {
      const read = await fetch(`${server.baseUrl}/v1/_profiler/requests/${requestId}`, { headers: { [PROFILER_TOKEN_HEADER]: settings.profilerToken } });
      if (read.ok) profile = (await read.json()) as { transactionControlCount: number };
      else await read.arrayBuffer();
      return read.ok;
    }, `the profile of ${requestId}`, 2000);
    total += profile!.transactionControlCount;
  }
  return total / PROFILED_REQUESTS;
}

/** The round trips as a Markdown table, for the report and docs/benchmarks.md. */
export function roundTripTable(results: RoundTripResult[], dbRttMs: number): string[] {
  return [
    `Round trips per request, each API scenario at 1 connection on three fresh API processes — straight to PostgreSQL (direct), through the relay without delay (+0) and with it (+${dbRttMs} ms per round trip) — requests rotating between them; inferred = (p50 +${dbRttMs} − p50 +0) / ${dbRttMs} ms; profiler = X-Query-Count + transaction-control statements of the profiles; relay = times a client sent after PostgreSQL had spoken, per relayed request (counted, not timed); late = how late the relay's chunks left (p50):`,
    '',
    `| scenario | requests per side | p50 ms direct | p50 ms +0 | p50 ms +${dbRttMs} ms | round trips inferred | profiler: statements | + transaction control | = round trips | relay counted | relay late µs | mismatch > ${ROUND_TRIP_MISMATCH} | errors |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|',
    ...results.map((result) => {
      const mismatches = roundTripMismatches(result);
      return `| ${result.scenario} | ${result.requestsPerSide} | ${fixed(result.p50DirectMs, 2)} | ${fixed(result.p50UndelayedMs, 2)} | ${fixed(result.p50RelayedMs, 2)} | ${fixed(result.inferredRoundTrips, 2)} | ${fixed(result.statementsPerRequest, 2)} | ${fixed(result.transactionControlPerRequest, 2)} | ${fixed(profiledRoundTrips(result), 2)} | ${fixed(result.relayRoundTripsPerRequest, 2)} | ${fixed(result.relayLateness?.p50Us ?? null, 0)} | ${mismatches.length > 0 ? `**${mismatches.join(', ')}**` : 'no'} | ${result.errors} |`;
    }),
  ];
}
