import { parseArgs } from 'node:util';

/** In the order of their size: the scaling report's growth ratios compare each with the one before. */
export const DATASETS = ['demo', 'medium', 'large'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface BenchOptions {
  dataset: DatasetName;
  /** Seconds of load in each measured run. */
  durationS: number;
  /** Concurrent HTTP connections (and concurrent loops for `raw`). */
  connections: number;
  quick: boolean;
  /** Unmeasured load before each HTTP run, so JIT, pools and statement plans are warm. */
  warmupS: number;
  /** Alternating profiling on/off rounds of one second, compared round by round (targets.ts). */
  profilingRounds: number;
  /** Fresh processes, each serving the API with profiling on and off, the profiling rounds are spread over. */
  profilingPairs: number;
  /** Write a .cpuprofile of each API process into bench/results/cpu-profiles/. */
  cpuProfile: boolean;
  /** Another checkout whose built API (dist/src/main.js) is compared with this one's, instead of the full run. */
  against?: string;
  /** Alternating rounds per scenario in a comparison. */
  rounds: number;
  /** `--only profiling`: instead of the full run, only the profiling on/off rounds on the cached route. */
  only?: 'profiling';
  /** Milliseconds a relay adds to every round trip to PostgreSQL, for every implementation; 0: no relay. */
  dbRttMs: number;
}

/** `--scaling`: instead of the full run, how the API's time grows from one dataset to the next. */
export interface ScalingOptions {
  mode: 'scaling';
  /** In DATASETS order, whatever order they were given in. */
  datasets: DatasetName[];
  /** Measured requests per scenario and dataset, after as many warm-up requests. */
  requests: number;
  cpuProfile: boolean;
}

/** `--soak N`: instead of the full run, the resident memory of one API process over N distinct discovery misses. */
export interface SoakOptions {
  mode: 'soak';
  dataset: DatasetName;
  misses: number;
  connections: number;
}

export const USAGE = `Usage: npm run bench -- [--dataset demo|medium|large] [--duration S] [--connections N] [--db-rtt MS] [--quick] [--cpu-prof]
       npm run bench -- --only profiling [--rounds N] [--pairs N] [--dataset …] [--duration S] [--connections N] [--db-rtt MS] [--cpu-prof]
       npm run bench -- --against DIR [--rounds N] [--dataset …] [--duration S] [--connections N] [--db-rtt MS]
       npm run bench -- --scaling [--datasets demo,medium,large] [--requests N] [--cpu-prof]
       npm run bench -- --soak N [--dataset demo|medium|large] [--connections N]

Measures the API (over HTTP), the legacy reference (bench/legacy, over HTTP), the API's own SQL
through pg (raw, in-process) and a bare Nest route (ceiling) side by side, after checking that
the API and the legacy reference answer the same JSON. Writes bench/results/latest.json and .svg.

  --dataset      demo (2,000 venues), medium (50,000 venues, the default) or large (500,000 venues)
  --duration     seconds of load per measured run (default 10; --quick: 2)
  --connections  concurrent connections (default 10; --quick: 4)
  --quick        short smoke run: short runs, four profiling rounds; exits 1 on a response mismatch
  --db-rtt MS    a database across a network: a TCP relay between PostgreSQL and every
                 implementation (api, legacy, raw) holds each chunk MS/2 in each direction, so each
                 round trip costs MS more (default 0: no relay). Above 0 the full run also measures
                 each API scenario at one connection on an API process without the relay and one
                 with it, and reads the round trips per request off the difference
  --cpu-prof     write a CPU profile of each API process to bench/results/cpu-profiles/
  --only profiling
                 instead: only the profiling on/off rounds on the cached discovery route: --rounds
                 alternating one-second rounds (default 240, as in the full run; --duration does
                 not apply) spread over --pairs fresh processes that each serve the API twice, with
                 profiling on and off (default 6, as in the full run; two processes of one build
                 differ by more than the 5% measured, for their whole life, and one process's 40
                 rounds carry a few points of noise); writes
                 bench/results/profiling-<time>.md and .json
  --against DIR  instead: this build against the API built in another checkout (npm ci && npm run
                 build there), both on the same database, in alternating rounds of every API
                 scenario (--rounds, default 4); writes bench/results/compare-<time>.md and .json
  --scaling      instead: how the API's time grows with the data. On each of --datasets (default
                 demo,medium,large) a fresh API process answers discovery filter mixes and detail
                 at one connection, every discovery request a new cache key: a warm-up pass, then
                 --requests (default 20) measured requests per scenario. Writes one table of p50 and
                 p95 (Server-Timing total and wall time) with growth ratios and issue 13's targets
                 to bench/results/scaling-<time>.md and .json
  --soak N       instead: N distinct discovery misses (each a new cache key) against one API process
                 (production mode, in-process cache; --dataset default demo, --connections default
                 10), its resident memory, heap and response cache sampled before, every N/20 misses
                 and after a forced GC; writes bench/results/soak-<time>.md and .json

Data: with DATABASE_URL set, the database venues_bench_<dataset> on that server; otherwise the
same database in the embedded PostgreSQL that npm start uses (.data/postgres). It is created and
seeded when missing or when its venue count is not the dataset's.`;

export class UsageError extends Error {}

const FULL = { durationS: 10, connections: 10, warmupS: 2, profilingRounds: 240, profilingPairs: 6 };
const QUICK = { durationS: 2, connections: 4, warmupS: 0.5, profilingRounds: 4, profilingPairs: 1 };

export function positiveNumber(name: string, raw: string | undefined, fallback: number, integer: boolean): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`);
  }
  return value;
}

export function datasetNamed(option: string, name: string): DatasetName {
  if (!(DATASETS as readonly string[]).includes(name)) throw new UsageError(`--${option} must name ${DATASETS.join(', ')}, got "${name}"`);
  return name as DatasetName;
}

/** The options of the full run that --scaling does not use: it measures a number of requests at one connection. */
const NOT_WITH_SCALING = ['dataset', 'duration', 'connections', 'quick', 'against', 'only', 'rounds', 'pairs', 'db-rtt'] as const;

function parseScaling(values: Record<string, string | boolean | undefined>): ScalingOptions {
  const misplaced = NOT_WITH_SCALING.filter((option) => values[option] !== undefined);
  if (misplaced.length > 0) throw new UsageError(`--scaling does not take ${misplaced.map((option) => `--${option}`).join(', ')}${misplaced.includes('dataset') ? ' (use --datasets)' : ''}`);
  const named = typeof values.datasets === 'string' ? values.datasets.split(',').map((name) => datasetNamed('datasets', name.trim())) : [...DATASETS];
  if (new Set(named).size !== named.length) throw new UsageError(`--datasets names a dataset twice: "${values.datasets}"`);
  return {
    mode: 'scaling',
    datasets: DATASETS.filter((dataset) => named.includes(dataset)),
    requests: positiveNumber('requests', typeof values.requests === 'string' ? values.requests : undefined, 20, true),
    cpuProfile: values['cpu-prof'] === true,
  };
}

function onlyOption(only: string | undefined, against: string | undefined): BenchOptions['only'] {
  if (only === undefined) return undefined;
  if (only !== 'profiling') throw new UsageError(`--only must name profiling, got "${only}"`);
  if (against !== undefined) throw new UsageError('--only and --against are two different runs: give one');
  return only;
}

/** The options of the full run that --soak does not use: it sends a number of requests, then stops. */
const NOT_WITH_SOAK = ['duration', 'quick', 'against', 'only', 'rounds', 'pairs', 'cpu-prof', 'datasets', 'requests', 'db-rtt'] as const;

function parseSoak(values: Record<string, string | boolean | undefined>, misses: string): SoakOptions {
  const misplaced = NOT_WITH_SOAK.filter((option) => values[option] !== undefined);
  if (misplaced.length > 0) throw new UsageError(`--soak does not take ${misplaced.map((option) => `--${option}`).join(', ')}`);
  return {
    mode: 'soak',
    dataset: datasetNamed('dataset', typeof values.dataset === 'string' ? values.dataset : 'demo'),
    misses: positiveNumber('soak', misses, 0, true),
    connections: positiveNumber('connections', typeof values.connections === 'string' ? values.connections : undefined, FULL.connections, true),
  };
}

/** The options, or 'help'. Throws UsageError for anything it does not understand. */
export function parseOptions(argv: string[]): BenchOptions | ScalingOptions | SoakOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        dataset: { type: 'string' },
        duration: { type: 'string' },
        connections: { type: 'string' },
        quick: { type: 'boolean' },
        'cpu-prof': { type: 'boolean' },
        against: { type: 'string' },
        only: { type: 'string' },
        rounds: { type: 'string' },
        pairs: { type: 'string' },
        'db-rtt': { type: 'string' },
        scaling: { type: 'boolean' },
        datasets: { type: 'string' },
        requests: { type: 'string' },
        soak: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  if (values.scaling && values.soak !== undefined) throw new UsageError('--scaling and --soak are two different runs: give one');
  if (values.scaling) return parseScaling(values);
  if (values.soak !== undefined) return parseSoak(values, values.soak);
  for (const option of ['datasets', 'requests'] as const) {
    if (values[option] !== undefined) throw new UsageError(`--${option} goes with --scaling`);
  }
  const dataset = datasetNamed('dataset', values.dataset ?? 'medium');
  const quick = values.quick ?? false;
  const defaults = quick ? QUICK : FULL;
  const only = onlyOption(values.only, values.against);
  const rounds = positiveNumber('rounds', values.rounds, only ? defaults.profilingRounds : 4, true);
  if (values.pairs !== undefined && !only) throw new UsageError('--pairs goes with --only profiling');
  const profilingRounds = only ? rounds : defaults.profilingRounds;
  const profilingPairs = positiveNumber('pairs', values.pairs, Math.min(defaults.profilingPairs, profilingRounds), true);
  if (profilingPairs > profilingRounds) throw new UsageError(`--pairs (${profilingPairs}) cannot be more than --rounds (${profilingRounds}): each pair runs at least one round`);
  return {
    dataset,
    durationS: positiveNumber('duration', values.duration, defaults.durationS, false),
    connections: positiveNumber('connections', values.connections, defaults.connections, true),
    quick,
    warmupS: defaults.warmupS,
    profilingRounds,
    profilingPairs,
    cpuProfile: values['cpu-prof'] ?? false,
    against: values.against,
    rounds,
    ...(only && { only }),
    dbRttMs: values['db-rtt'] === '0' ? 0 : positiveNumber('db-rtt', values['db-rtt'], 0, false),
  };
}
