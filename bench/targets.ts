import type { Impl, RoundTripResult, ScalingDataset, ScalingScenarioInfo, ScalingTargetCheck, ScenarioResult, TargetCheck } from './results-model';
import { profiledRoundTrips } from './round-trips';

export const SCENARIOS = {
  miss: 'discovery-miss',
  hit: 'discovery-hit',
  detail: 'detail',
  booking: 'booking',
  ceiling: 'ceiling',
  profilingOn: 'discovery-hit-profiling-on',
  profilingOff: 'discovery-hit-profiling-off',
} as const;

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;

/** The same comparison in server CPU per request, which other processes on the machine move less than throughput. */
function cpuComparison(measured: ScenarioResult, reference: ScenarioResult): string {
  if (measured.serverCpuMsPerRequest === null || reference.serverCpuMsPerRequest === null) return '';
  const ratio = measured.serverCpuMsPerRequest / reference.serverCpuMsPerRequest;
  return `; server CPU per request ${measured.serverCpuMsPerRequest.toFixed(3)} ms vs ${reference.serverCpuMsPerRequest.toFixed(3)} ms (${ratio.toFixed(2)}×)`;
}

function find(results: ScenarioResult[], name: string, impl: Impl): ScenarioResult | undefined {
  return results.find((result) => result.name === name && result.impl === impl && result.requests > 0);
}

/**
 * Issue 14: over loopback a statement costs ~0.1 ms and legacy's N+1 loops cost next to nothing,
 * so legacy ratios are targeted with the database 1 ms away, as in production.
 */
const LEGACY_TARGET_DB_RTT_MS = 1;

function speedup(results: ScenarioResult[], name: string, atLeast: number, dbRttMs: number): TargetCheck {
  const target = `${name} p50 at --db-rtt ${LEGACY_TARGET_DB_RTT_MS}: api ≥ ${atLeast}× faster than legacy`;
  const api = find(results, name, 'api');
  const legacy = find(results, name, 'legacy');
  if (!api?.p50Ms || !legacy?.p50Ms) return { target, measured: 'not measured', pass: null };
  const ratio = legacy.p50Ms / api.p50Ms;
  const measured = `${ratio.toFixed(1)}× (legacy ${ms(legacy.p50Ms)} / api ${ms(api.p50Ms)})`;
  if (dbRttMs !== LEGACY_TARGET_DB_RTT_MS) return { target, measured: `${measured} at --db-rtt ${dbRttMs}, not the target's setting`, pass: null };
  return { target, measured, pass: ratio >= atLeast };
}

/** Issue 14: no round trip the profiler does not count (connection checks, SETs, a pool reset). */
function roundTripBudget(result: RoundTripResult, dbRttMs: number): TargetCheck {
  const target = `${result.scenario} p50 at 1 connection, --db-rtt ${dbRttMs}: ≤ p50 through the relay without delay + (statements + transaction control + 0.5) × ${dbRttMs} ms`;
  const profiled = profiledRoundTrips(result);
  const { p50UndelayedMs: undelayed, p50RelayedMs: relayed } = result;
  if (profiled === null || undelayed === null || relayed === null) return { target, measured: 'not measured', pass: null };
  const limit = undelayed + (profiled + 0.5) * dbRttMs;
  return {
    target,
    measured: `${ms(relayed)} vs limit ${ms(limit)} (${ms(undelayed)} without the delay; ${result.inferredRoundTrips?.toFixed(2)} round trips inferred, ${profiled.toFixed(2)} profiled)`,
    pass: relayed <= limit,
  };
}

/** Issue 14 item 4: the API's own cost (framework and application) over raw's, per database scenario. */
const RAW_P50_FACTOR = 1.3;

function nearFloor(results: ScenarioResult[], name: string): TargetCheck {
  const target = `${name} p50: api ≤ ${RAW_P50_FACTOR} × raw`;
  const api = find(results, name, 'api');
  const raw = find(results, name, 'raw');
  if (!api?.p50Ms || !raw?.p50Ms) return { target, measured: 'not measured', pass: null };
  const cpu = api.serverCpuMsPerRequest !== null && raw.serverCpuMsPerRequest !== null
    ? `; CPU per request api ${api.serverCpuMsPerRequest.toFixed(2)} ms, raw ${raw.serverCpuMsPerRequest.toFixed(2)} ms (bench process)`
    : '';
  return { target, measured: `api ${ms(api.p50Ms)}, raw ${ms(raw.p50Ms)}: ${(api.p50Ms / raw.p50Ms).toFixed(2)} × raw${cpu}`, pass: api.p50Ms <= RAW_P50_FACTOR * raw.p50Ms };
}

/** Issue 14 item 4: with profiling on (the API's every run is), against a bare Nest route answering the same bytes. */
const CEILING_SHARE = 0.6;

function nearCeiling(results: ScenarioResult[]): TargetCheck {
  const target = `${SCENARIOS.hit} throughput ≥ ${CEILING_SHARE} × the ceiling route, profiling on`;
  const api = find(results, SCENARIOS.hit, 'api');
  const ceiling = find(results, SCENARIOS.ceiling, 'ceiling');
  if (!api || !ceiling) return { target, measured: 'not measured', pass: null };
  const share = api.rps / ceiling.rps;
  return { target, measured: `${share.toFixed(2)} × (api ${api.rps.toFixed(0)} rps / ceiling ${ceiling.rps.toFixed(0)} rps)${cpuComparison(api, ceiling)}`, pass: share >= CEILING_SHARE };
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * on ÷ off of each round, by the process it ran on: the two sides of a round ran back to back, so
 * the machine's drift cancels out. Rounds of a result without processes recorded are one process.
 */
function pairedRatios(on: ScenarioResult, off: ScenarioResult, roundsOf: (result: ScenarioResult) => Array<number | null> | undefined): number[][] {
  const [mine, theirs] = [roundsOf(on) ?? [], roundsOf(off) ?? []];
  const byPair: number[][] = [];
  for (let round = 0; round < Math.min(mine.length, theirs.length); round += 1) {
    const [a, b] = [mine[round], theirs[round]];
    if (a === null || b === null || b <= 0) continue;
    (byPair[on.roundsPair?.[round] ?? 0] ??= []).push(a / b);
  }
  return byPair.filter((ratios) => ratios !== undefined);
}

/**
 * The median of the processes' medians, each process's the median of its rounds' ratios. This
 * machine's speed moves by 40% within minutes (CPU per cached request 0.47-0.73 ms for one process
 * in one run) against the 5% measured: the best round of each side compares two lucky moments, and
 * the rounds of one process share whatever that process's two apps do not, so each process counts
 * once. Best-of figures are printed too.
 */
function overheadOf(byPair: number[][], overhead: (ratio: number) => number): { overhead: number; detail: string } {
  const all = byPair.flat().map(overhead);
  const perPair = byPair.map((ratios) => overhead(median(ratios)));
  const pairs = byPair.length === 1 ? `median of ${all.length} paired rounds` : `median of ${byPair.length} processes' medians ${perPair.map(percent).join(', ')}; ${all.length} paired rounds`;
  return { overhead: median(perPair), detail: `${pairs}, range ${percent(Math.min(...all))} to ${percent(Math.max(...all))}` };
}

function profilingOverhead(results: ScenarioResult[]): TargetCheck {
  const target = 'profiling overhead on the cached discovery route ≤ 5% throughput and ≤ 5% server CPU per request';
  const on = find(results, SCENARIOS.profilingOn, 'api');
  const off = find(results, SCENARIOS.profilingOff, 'api');
  if (!on || !off) return { target, measured: 'not measured', pass: null };
  const throughputRatios = pairedRatios(on, off, (result) => result.roundsRps);
  const cpuRatios = pairedRatios(on, off, (result) => result.roundsCpuMsPerRequest);
  if (throughputRatios.length === 0) return { target, measured: 'no paired rounds', pass: null };
  const throughputOverhead = overheadOf(throughputRatios, (ratio) => 1 - ratio);
  const bestOf = `best of each: on ${on.rps.toFixed(0)} rps, off ${off.rps.toFixed(0)} rps`;
  const throughput = `throughput ${percent(throughputOverhead.overhead)} (${throughputOverhead.detail}; ${bestOf})`;
  if (cpuRatios.length === 0 || on.serverCpuMsPerRequest === null || off.serverCpuMsPerRequest === null) {
    return { target, measured: `${throughput}; CPU not measured`, pass: null };
  }
  const cpuOverhead = overheadOf(cpuRatios, (ratio) => ratio - 1);
  const cpu = `CPU per request ${percent(cpuOverhead.overhead)} (${cpuOverhead.detail}; lowest of each: on ${on.serverCpuMsPerRequest.toFixed(3)} ms, off ${off.serverCpuMsPerRequest.toFixed(3)} ms)`;
  return { target, measured: `${throughput}; ${cpu}`, pass: throughputOverhead.overhead <= 0.05 && cpuOverhead.overhead <= 0.05 };
}

export function checkTargets(results: ScenarioResult[], dbRttMs: number, roundTrips: RoundTripResult[] = []): TargetCheck[] {
  return [
    speedup(results, SCENARIOS.miss, 20, dbRttMs),
    nearFloor(results, SCENARIOS.miss),
    nearFloor(results, SCENARIOS.detail),
    nearFloor(results, SCENARIOS.booking),
    nearCeiling(results),
    speedup(results, SCENARIOS.detail, 5, dbRttMs),
    profilingOverhead(results),
    ...roundTrips.map((result) => roundTripBudget(result, dbRttMs)),
  ];
}

/**
 * Issue 13: a discovery miss on `large` (~10,000 venues a city) costs at most 1.5× (p50) and 2×
 * (p95) what it costs on `medium` (~1,000), in Server-Timing total of one scaling run; detail,
 * which reads one venue, stays within 1.2× (read here as both percentiles).
 */
export const SCALING_LIMITS: Record<ScalingScenarioInfo['kind'], Record<ScalingTargetCheck['percentile'], number>> = {
  discovery: { p50: 1.5, p95: 2 },
  detail: { p50: 1.2, p95: 1.2 },
};

/** The datasets the scaling limits compare; without both in the run there is nothing to check. */
export const SCALING_TARGET_PAIR = { base: 'medium', grown: 'large' } as const;

/** The Server-Timing total percentile of a scenario on a dataset; null when not measured. */
export function scalingTotal(dataset: ScalingDataset | undefined, scenario: string, percentile: ScalingTargetCheck['percentile']): number | null {
  const measured = dataset?.measurements.find((measurement) => measurement.scenario === scenario)?.measured;
  if (!measured?.serverTotal || measured.requests === 0) return null;
  return percentile === 'p50' ? measured.serverTotal.p50Ms : measured.serverTotal.p95Ms;
}

export function checkScalingTargets(scenarios: ScalingScenarioInfo[], datasets: ScalingDataset[]): ScalingTargetCheck[] {
  const base = datasets.find((dataset) => dataset.name === SCALING_TARGET_PAIR.base);
  const grown = datasets.find((dataset) => dataset.name === SCALING_TARGET_PAIR.grown);
  if (!base || !grown) return [];
  return scenarios.flatMap(({ name, label, kind }) =>
    (['p50', 'p95'] as const).map((percentile) => {
      const limit = SCALING_LIMITS[kind][percentile];
      const target = `${label}: ${grown.name}/${base.name} ${percentile} ≤ ${limit}×`;
      const [before, after] = [scalingTotal(base, name, percentile), scalingTotal(grown, name, percentile)];
      if (!before || after === null) return { scenario: name, percentile, target, measured: 'not measured', pass: null };
      const growth = after / before;
      return { scenario: name, percentile, target, measured: `${growth.toFixed(2)}× (${grown.name} ${ms(after)} / ${base.name} ${ms(before)})`, pass: growth <= limit };
    }),
  );
}
