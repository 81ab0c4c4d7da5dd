import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { newRunSecrets, profilingPairMainOf, startProfilingPair } from './api-under-test';
import { measureCachedRoute } from './cached-route-tool';
import { GARBAGE_COLLECTOR_FRAME } from './garbage-collector-frames';
import { measureHttp } from './measure';
import { describeCheckout, REPOSITORY_ROOT } from './environment';
import { datasetNamed, type DatasetName, positiveNumber, UsageError } from './options';

/**
 * Where the CPU of a cached discovery request goes with profiling on and off, read with `perf` in
 * the bench's own pair processes (bench/profiling-pair.main.ts): the bench's alternating rounds of
 * one second, each side's CPU samples (`perf record -e cpu-clock`, every thread, user and kernel,
 * on-CPU time only) assigned to the round their time falls in, and each sample to the first
 * JavaScript function on its stack (its owner; V8 names them through `--perf-basic-prof`): the
 * profiler's own functions (src/profiling, the request context), the garbage collector, V8's
 * optimizing compiler (still at work long after the warm-up, more for the side with more code to
 * optimize), the kernel, everything else. On − off per request, in per cent of the off side's
 * CPU. A sample with no JavaScript on its stack is named by its thread (main or helper) and the
 * first V8 or Node class on it.
 *
 * The bench's time reads the profiler's whole cost and moves by several points between processes
 * of one build; the profiler's own functions read within about half a point from process to
 * process, so this is the tool to tell whether a change to the profiler's hot path made it cheaper,
 * and the rest of the difference (other code, the kernel, GC) says what the profiler costs
 * outside its own code. docs/benchmarks.md, "Fourteenth sitting", has the first readings.
 *
 *   npm run bench:profiler-cpu [-- --dataset demo|medium|large] [--rounds N] [--pairs N] [--warmup S] [--against DIR]
 *   (--warmup: seconds of load on each side before the rounds, 10 by default)
 *   (--against: the same for another checkout's build, its processes alternating with this one's)
 *   (DATABASE_URL as for npm run bench; needs perf: apt-get install linux-perf)
 */
const DEFAULTS = { dataset: 'demo' as DatasetName, rounds: 20, pairs: 3, warmupS: 10 };
const CONNECTIONS = 10;
const ROUND_S = 1;
const SAMPLES_PER_SECOND = 1999;
const OWN_FUNCTIONS = /\/src\/profiling\/|\/src\/request-context\/request-context\./;
/** V8's optimizing compilers (TurboFan, Maglev) and its compile jobs, on whichever thread runs them. */
const COMPILER_FRAME = /v8::internal::compiler::|v8::internal::maglev::|OptimizingCompileDispatcher|v8::internal::Compiler::/;
/** Kernel addresses on x86-64 (perf reports the kernel's frames with them). */
const KERNEL_ADDRESS = BigInt('0xffff800000000000');
const FRAMES_READ_FOR_GC = 6;
const OWNERS_SHOWN = 10;
/** perf attaches to a running process in well under this. */
const PERF_ATTACH_MS = 1000;

type Side = 'on' | 'off';
const SIDES: readonly Side[] = ['on', 'off'];
const CATEGORIES = ['profiler', 'gc', 'compiler', 'kernel', 'other'] as const;
type Category = (typeof CATEGORIES)[number];

interface Round {
  side: Side;
  startNs: bigint;
  endNs: bigint;
  requests: number;
}

/** Samples of one side: by category, and by owning function within each category. */
class SideSamples {
  requests = 0;
  readonly byCategory = new Map<Category, number>(CATEGORIES.map((category) => [category, 0]));
  readonly byOwner = new Map<Category, Map<string, number>>(CATEGORIES.map((category) => [category, new Map()]));

  add(category: Category, name: string): void {
    this.byCategory.set(category, this.byCategory.get(category)! + 1);
    const owners = this.byOwner.get(category)!;
    owners.set(name, (owners.get(name) ?? 0) + 1);
  }

  /** Microseconds of CPU per request for `samples` samples. */
  perRequest(samples: number): number {
    return (samples * 1e6) / SAMPLES_PER_SECOND / this.requests;
  }

  get totalPerRequest(): number {
    return this.perRequest([...this.byCategory.values()].reduce((sum, count) => sum + count, 0));
  }
}

/** A build whose pair processes are measured: this checkout's, or another one's (`--against`). */
interface Build {
  label: string;
  checkout?: string;
}

function parseSettings(argv: string[]): typeof DEFAULTS & { builds: Build[] } {
  const { values } = parseArgs({ args: argv, options: { dataset: { type: 'string' }, rounds: { type: 'string' }, pairs: { type: 'string' }, warmup: { type: 'string' }, against: { type: 'string' } } });
  const builds: Build[] = [{ label: describeCheckout(REPOSITORY_ROOT) }];
  if (values.against !== undefined) {
    const checkout = resolve(values.against);
    if (!existsSync(profilingPairMainOf(checkout))) throw new UsageError(`--against: ${profilingPairMainOf(checkout)} is missing; run npm ci && npx tsc -p tsconfig.bench.json in ${checkout} first`);
    builds.push({ label: `${describeCheckout(checkout)} (${basename(checkout)})`, checkout });
  }
  return {
    dataset: values.dataset === undefined ? DEFAULTS.dataset : datasetNamed('dataset', values.dataset),
    rounds: positiveNumber('rounds', values.rounds, DEFAULTS.rounds, true),
    pairs: positiveNumber('pairs', values.pairs, DEFAULTS.pairs, true),
    warmupS: positiveNumber('warmup', values.warmup, DEFAULTS.warmupS, true),
    builds,
  };
}

/** `JS:*close /work/main/dist/src/profiling/request-profiler.js:136:10` → `close request-profiler.js` (no line: builds differ). */
function functionName(symbol: string): string {
  const [name, location = ''] = symbol.replace(/^JS:[*^~]?/, '').split(' ');
  return `${name || '(anonymous)'} ${location.split('/').pop()!.replace(/:\d+:\d+$/, '')}`;
}

type Frame = { address: bigint; symbol: string };

/** A sample with no JavaScript on its stack, named by its thread and the first V8 or Node class on it (`v8::internal::Heap`). */
function nativeOwner(frames: Frame[], onMainThread: boolean): string {
  const named = frames.map((frame) => /(?:v8::internal|v8|node)::(?:\w+::)*?[A-Z]\w*/.exec(frame.symbol)?.[0]).find((name) => name !== undefined);
  return `(${onMainThread ? 'main thread' : 'helper thread'}, no JavaScript: ${named ?? 'unnamed'})`;
}

/** The category of one sample from its stack (leaf first) and its owner (the first JavaScript function on it). */
function categoryOf(frames: Frame[], owner: string | undefined): Category {
  if (frames.slice(0, FRAMES_READ_FOR_GC).some((frame) => GARBAGE_COLLECTOR_FRAME.test(frame.symbol))) return 'gc';
  if (frames.some((frame) => COMPILER_FRAME.test(frame.symbol))) return 'compiler';
  if (owner !== undefined && OWN_FUNCTIONS.test(owner)) return 'profiler';
  if (frames.length > 0 && frames[0].address >= KERNEL_ADDRESS) return 'kernel';
  return 'other';
}

/** Reads `perf script` of one recording and files each sample under the side of the round it fell in. */
async function readSamples(recording: string, pid: number, rounds: Round[]): Promise<Record<Side, SideSamples>> {
  const sides = { on: new SideSamples(), off: new SideSamples() };
  for (const round of rounds) sides[round.side].requests += round.requests;
  const script = spawn('perf', ['script', '-i', recording, '-F', 'tid,time,ip,sym'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let round: Round | undefined;
  let onMainThread = true;
  let frames: Frame[] = [];
  const file = () => {
    if (round !== undefined) {
      const owner = frames.find((frame) => frame.symbol.startsWith('JS:'))?.symbol;
      sides[round.side].add(categoryOf(frames, owner), owner === undefined ? nativeOwner(frames, onMainThread) : functionName(owner));
    }
    frames = [];
  };
  for await (const line of createInterface({ input: script.stdout })) {
    const header = /^\s*(\d+)\s+(\d+)\.(\d+):/.exec(line);
    if (header) {
      file();
      onMainThread = Number(header[1]) === pid;
      const ns = BigInt(header[2]) * 1_000_000_000n + BigInt(header[3].padEnd(9, '0'));
      round = rounds.find((candidate) => candidate.startNs <= ns && ns <= candidate.endNs);
      continue;
    }
    const frame = /^\s*([0-9a-f]+)\s+(.*)$/.exec(line);
    if (frame) frames.push({ address: BigInt(`0x${frame[1]}`), symbol: frame[2] });
  }
  file();
  return sides;
}

/** The owners of `category` whose samples differ most between the sides, per request. */
function ownerDifferences({ on, off }: Record<Side, SideSamples>, category: Category): string {
  const [inOn, inOff] = [on.byOwner.get(category)!, off.byOwner.get(category)!];
  return [...new Set([...inOn.keys(), ...inOff.keys()])]
    .map((name) => ({ name, cost: on.perRequest(inOn.get(name) ?? 0) - off.perRequest(inOff.get(name) ?? 0) }))
    .sort((a, b) => Math.abs(b.cost) - Math.abs(a.cost))
    .slice(0, OWNERS_SHOWN)
    .map(({ name, cost }) => `${name} ${cost.toFixed(2)} µs`)
    .join('; ');
}

const percentOf = (value: number, base: number) => `${((value / base) * 100).toFixed(2)}%`;

function report(title: string, sides: Record<Side, SideSamples>): number {
  const { on, off } = sides;
  const offTotal = off.totalPerRequest;
  console.log(`\n${title}: ${on.requests} requests on, ${off.requests} off; CPU per request ${on.totalPerRequest.toFixed(1)} µs on, ${offTotal.toFixed(1)} µs off\n`);
  console.log('| | on (µs) | off (µs) | on − off (µs) | of the off side\'s CPU |\n|---|---:|---:|---:|---:|');
  const line = (label: string, inOn: number, inOff: number) =>
    console.log(`| ${label} | ${inOn.toFixed(2)} | ${inOff.toFixed(2)} | ${(inOn - inOff).toFixed(2)} | ${percentOf(inOn - inOff, offTotal)} |`);
  line('all', on.totalPerRequest, offTotal);
  for (const category of CATEGORIES) line(category, on.perRequest(on.byCategory.get(category)!), off.perRequest(off.byCategory.get(category)!));
  console.log(`\nThe profiler's own functions, on − off per request: ${ownerDifferences(sides, 'profiler')}`);
  console.log(`The largest differences in the rest, by the function that owns the samples: ${ownerDifferences(sides, 'other')}`);
  return (on.perRequest(on.byCategory.get('profiler')!) - off.perRequest(off.byCategory.get('profiler')!)) / offTotal;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  await measureCachedRoute({ command: 'perf', debianPackage: 'linux-perf' }, settings.dataset, async ({ databaseUrl, request, directory, stops }) => {
    const { builds, pairs } = settings;
    console.error(
      `${pairs} pair processes of ${builds.map((build) => build.label).join(' and of ')}, ${settings.rounds} alternating rounds of ${ROUND_S} s each on ${request.path}, sampled by perf; about ${Math.ceil((builds.length * pairs * (2 * settings.warmupS + 2 * settings.rounds * (ROUND_S + 0.5) + 60)) / 60)} min.`,
    );
    const ownShares = builds.map(() => [] as number[]);
    // With two builds, their processes alternate (which goes first too), so a change in the machine's speed falls on both.
    const order = Array.from({ length: pairs }, (_, pair) => builds.map((_build, index) => (pair % 2 === 0 ? index : builds.length - 1 - index))).flat();
    for (const [run, buildIndex] of order.entries()) {
      const build = builds[buildIndex];
      // V8 writes the names of its compiled code to /tmp/perf-<pid>.map for perf, and logs to a file of its own.
      const processes = await startProfilingPair(databaseUrl, newRunSecrets(), {
        nodeArgs: ['--perf-basic-prof', '--no-logfile-per-isolate', `--logfile=${join(directory, 'v8.log')}`],
        checkout: build.checkout,
      });
      stops.unshift(processes.stop);
      const load = (side: Side, durationS: number) => measureHttp({ baseUrl: processes[side].baseUrl, next: () => request }, { connections: CONNECTIONS, durationS });
      for (const side of SIDES) await load(side, settings.warmupS);
      const recording = join(directory, `pair-${run}.data`);
      // perf stamps samples with CLOCK_MONOTONIC, the clock of process.hrtime.
      const perf = spawn('perf', ['record', '-k', 'CLOCK_MONOTONIC', '-g', '-e', 'cpu-clock', '-F', String(SAMPLES_PER_SECOND), '-p', String(processes.on.pid), '-o', recording], { stdio: 'ignore' });
      await sleep(PERF_ATTACH_MS);
      const rounds: Round[] = [];
      for (let round = 0; round < settings.rounds; round += 1) {
        for (const side of round % 2 === 0 ? SIDES : [...SIDES].reverse()) {
          const startNs = process.hrtime.bigint();
          const { requests } = await load(side, ROUND_S);
          rounds.push({ side, startNs, endNs: process.hrtime.bigint(), requests });
        }
      }
      perf.kill('SIGINT');
      await once(perf, 'exit');
      ownShares[buildIndex].push(report(`Process ${ownShares[buildIndex].length + 1} of ${build.label}`, await readSamples(recording, processes.on.pid!, rounds)));
      stops.splice(stops.indexOf(processes.stop), 1);
      await processes.stop();
      rmSync(recording, { force: true });
      rmSync(`/tmp/perf-${processes.on.pid}.map`, { force: true });
    }
    console.log('');
    for (const [index, build] of builds.entries()) {
      const shares = ownShares[index];
      console.log(`The profiler's own functions, on − off, ${build.label}: ${(median(shares) * 100).toFixed(2)}% of the off side's CPU per request (median of ${pairs} processes: ${shares.map((share) => `${(share * 100).toFixed(2)}%`).join(', ')})`);
    }
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
