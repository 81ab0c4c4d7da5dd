import type { Lateness } from '../test/support/delay-line';
import type { ContractCheck } from './contract';
import type { Machine, Versions } from './environment';
import type { Measurement } from './measure';
import type { BenchOptions } from './options';

// The shape of a run's results lives apart from the code that computes, writes and renders it, so
// targets, terminal, chart, markdown and report can all share it without importing one another.

export type Impl = 'api' | 'legacy' | 'raw' | 'ceiling';

export interface ScenarioResult extends Measurement {
  name: string;
  impl: Impl;
  connections: number;
  /**
   * CPU milliseconds the server process used per successful request (null for raw, which runs in
   * the bench process). Moved less than rps and latency by other processes competing for the cores.
   */
  serverCpuMsPerRequest: number | null;
  /** The machine's 1-minute load average when the run ended: noise from other processes shows here. */
  loadAverage1m: number;
  /** Throughput of every round, for runs repeated to see past noise (the best one is reported). */
  roundsRps?: number[];
  /** Server CPU per request of every round, in the order of roundsRps. */
  roundsCpuMsPerRequest?: Array<number | null>;
  /** The fresh process (0, 1, …) whose two apps each round ran on, in the order of roundsRps (profiling on/off only). */
  roundsPair?: number[];
}

/** One of issue 7's speed targets, computed from a run. Informational: a miss never fails the run. */
export interface TargetCheck {
  target: string;
  /** The measured value in the target's terms, e.g. "143× (legacy 412 ms / api 2.9 ms)". */
  measured: string;
  /** null when a run it needs is missing or has no successful request. */
  pass: boolean | null;
}

/** One API scenario at one connection, straight to PostgreSQL and through the --db-rtt relay without and with the delay. */
export interface RoundTripResult {
  scenario: string;
  requestsPerSide: number;
  /** Straight to PostgreSQL. */
  p50DirectMs: number | null;
  /** Through the relay with no delay: its own cost, without the network's. */
  p50UndelayedMs: number | null;
  /** Through the relay with the delay. */
  p50RelayedMs: number | null;
  /** (relayed p50 − undelayed p50) / dbRttMs. */
  inferredRoundTrips: number | null;
  /** Mean X-Query-Count of the relayed side (BEGIN/COMMIT not counted). */
  statementsPerRequest: number | null;
  /** Mean transactionControlCount of a few of the relayed side's profiles. */
  transactionControlPerRequest: number | null;
  /** Waits for a reply the relay saw per relayed request (RelayStats.roundTrips): counted, not timed. */
  relayRoundTripsPerRequest: number | null;
  /** How late the relay's chunks left during the relayed requests. */
  relayLateness: Lateness | null;
  errors: number;
}

export interface BenchReport {
  command: string;
  startedAt: string;
  finishedAt: string;
  dataset: { name: string; venues: number; database: string };
  settings: Pick<BenchOptions, 'durationS' | 'connections' | 'warmupS' | 'quick' | 'profilingRounds' | 'dbRttMs'>;
  /** With --db-rtt: how late the relay's chunks left against their due time during the scenarios. */
  relayLateness?: Lateness | null;
  /** With --db-rtt: round trips per request of each API scenario, inferred and profiled. */
  roundTrips?: RoundTripResult[];
  machine: Machine;
  versions: Versions;
  contract: ContractCheck[];
  results: ScenarioResult[];
  targets: TargetCheck[];
}

/** One scenario of `--scaling` on one dataset: a warm-up pass, then the measured one. */
export interface ScalingMeasurement {
  scenario: string;
  /** The first requests this API process answered for the scenario: cold plans, cold buffers. */
  warmup: Measurement;
  /** Its p50/p95 are wall time at the client; `serverTotal` is the API's Server-Timing total. */
  measured: Measurement;
  /** The machine's 1-minute load average when the measured pass ended. */
  loadAverage1m: number;
}

export interface ScalingDataset {
  name: string;
  venues: number;
  database: string;
  measurements: ScalingMeasurement[];
}

export interface ScalingScenarioInfo {
  name: string;
  /** As the table names it. */
  label: string;
  /** Which growth limit applies. */
  kind: 'discovery' | 'detail';
}

/** A scaling target of one scenario and percentile, so the table can mark its cell. */
export interface ScalingTargetCheck extends TargetCheck {
  scenario: string;
  percentile: 'p50' | 'p95';
}

export interface ScalingReport {
  command: string;
  startedAt: string;
  finishedAt: string;
  settings: { requestsPerScenario: number; connections: 1; pageSize: number };
  machine: Machine;
  versions: Versions;
  scenarios: ScalingScenarioInfo[];
  /** Smallest first: growth ratios compare each with the one before. */
  datasets: ScalingDataset[];
  targets: ScalingTargetCheck[];
  /** Why the numbers do not measure what the table says (a response served from the cache, failed requests); the run then exits 1. */
  problems: string[];
}
