import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { API_MAIN, apiEnv, newRunSecrets } from './api-under-test';
import type { Stops } from './bench-database';
import { measureCachedRoute } from './cached-route-tool';
import { GARBAGE_COLLECTOR_FRAME } from './garbage-collector-frames';
import { type HttpRequest, measureHttp } from './measure';
import { datasetNamed, type DatasetName, positiveNumber } from './options';
import { ServerProcess, startServer } from './processes';

/**
 * Instructions per cached discovery request with profiling on and off, counted by valgrind's
 * callgrind in two API processes (run side by side). A count is what this machine's load cannot
 * move: the CPU time of one cached request varies by ±5–10% between two processes and by 40%
 * within minutes, more than the profiler's share, while each side's count agrees within ~1–2%
 * between runs. Their difference is a few per cent of either and moves more (up to a third between
 * runs of one build: V8 compiles and inlines differently in each process), so compare builds on
 * several runs.
 * Counting starts after a warm-up (so start-up and compilation are left out) and covers exactly
 * the measured requests; the main thread's count is split into garbage collection and the rest,
 * because V8 shares scavenges between the main thread and its helpers differently from run to run.
 * With `--cache-sim`, callgrind also simulates the caches (this machine's sizes) and counts the
 * main thread's misses: a cached request is bound by its instruction cache (about one instruction
 * in thirty misses the first level), so work that touches more code or data costs more time than
 * its instructions say.
 * Under valgrind a request takes ~50 ms (~100 ms with the caches), so this is a tool for comparing
 * builds, not a bench run.
 *
 *   npm run bench:instructions [-- --dataset demo|medium|large] [--requests N] [--warmup N] [--cache-sim]
 *   (DATABASE_URL as for npm run bench; needs valgrind: apt-get install valgrind)
 */
const DEFAULTS = { dataset: 'demo' as DatasetName, requests: 1000, warmup: 4000, cacheSim: false };
const MEASURE_ATTEMPTS = 3;
const CONNECTIONS = 10;
/** The simulated caches' events shown, by callgrind's names: first-level instruction and data misses, last-level misses. */
const CACHE_EVENTS = [
  ['I1mr', 'first-level instruction cache misses'],
  ['D1mr', 'first-level data cache read misses'],
  ['D1mw', 'first-level data cache write misses'],
  ['ILmr', 'last-level misses, instructions'],
  ['DLmr', 'last-level misses, data reads'],
  ['DLmw', 'last-level misses, data writes'],
] as const;

/** Per event (callgrind's `events:` line, Ir first), one thread's or process's count. */
type EventCounts = Map<string, number>;

interface ThreadCounts {
  /** Events of the main thread (callgrind's thread 1). */
  main: EventCounts;
  /** Of `main`, in V8's garbage collector. */
  mainGc: EventCounts;
  /** Events of every thread: the main thread and V8's and libuv's helpers. */
  all: EventCounts;
}

function parseSettings(argv: string[]): typeof DEFAULTS {
  const { values } = parseArgs({ args: argv, options: { dataset: { type: 'string' }, requests: { type: 'string' }, warmup: { type: 'string' }, 'cache-sim': { type: 'boolean' } } });
  return {
    dataset: values.dataset === undefined ? DEFAULTS.dataset : datasetNamed('dataset', values.dataset),
    requests: positiveNumber('requests', values.requests, DEFAULTS.requests, true),
    warmup: positiveNumber('warmup', values.warmup, DEFAULTS.warmup, true),
    cacheSim: values['cache-sim'] ?? DEFAULTS.cacheSim,
  };
}

/** callgrind_control finds a process through a file named after USER and HOST: the API's env sets HOST, so ours must match. */
function callgrindControl(server: ServerProcess, env: NodeJS.ProcessEnv, ...args: string[]): void {
  execFileSync('callgrind_control', [...args, String(server.pid)], { env: { ...process.env, HOST: env.HOST }, stdio: 'ignore' });
}

function addTo(counts: EventCounts, events: readonly string[], costs: readonly number[]): void {
  for (const [index, event] of events.entries()) counts.set(event, (counts.get(event) ?? 0) + (costs[index] ?? 0));
}

/**
 * The events of one callgrind dump, and those in the garbage collector: cost lines belong to the
 * current `fn=`, except the line after `calls=`, which is the inclusive cost of a call and is
 * counted where it is spent. A cost line gives the position, then one count per event (trailing
 * zeros left out).
 */
function countThread(file: string): { total: EventCounts; gc: EventCounts } {
  const names = new Map<string, string>();
  let events: string[] = [];
  let current = '';
  let afterCall = false;
  const total: EventCounts = new Map();
  const gc: EventCounts = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('events:')) events = line.slice('events:'.length).trim().split(/\s+/);
    // Name compression: a function's name is given once, at its first `fn=(id)` or `cfn=(id)`.
    const [, called, id, name] = /^(c?)fn=\((\d+)\)(?: (.*))?$/.exec(line) ?? [];
    if (id !== undefined && name !== undefined) names.set(id, name);
    if (id !== undefined && called === '') {
      current = names.get(id) ?? '';
    } else if (line.startsWith('calls=')) {
      afterCall = true;
    } else if (/^[+-]?\d|^\*/.test(line)) {
      if (afterCall) {
        afterCall = false;
        continue;
      }
      const costs = line.trim().split(/\s+/).slice(1).map(Number);
      addTo(total, events, costs);
      if (GARBAGE_COLLECTOR_FRAME.test(current)) addTo(gc, events, costs);
    }
  }
  return { total, gc };
}

function countDump(directory: string, pid: number): ThreadCounts {
  // With --separate-threads, a dump is one file per thread: callgrind.<pid>.<dump>-<thread>.
  const threads = readdirSync(directory).filter((file) => file.startsWith(`callgrind.${pid}.1-`));
  const counts: ThreadCounts = { main: new Map(), mainGc: new Map(), all: new Map() };
  for (const file of threads) {
    const { total, gc } = countThread(join(directory, file));
    for (const [event, count] of total) counts.all.set(event, (counts.all.get(event) ?? 0) + count);
    if (file.endsWith('-01')) {
      counts.main = total;
      counts.mainGc = gc;
    }
  }
  if (!counts.main.get('Ir')) throw new Error(`no main-thread dump of process ${pid} in ${directory}`);
  return counts;
}

async function countSide(profiling: boolean, databaseUrl: string, request: HttpRequest, settings: typeof DEFAULTS, directory: string, stops: Stops): Promise<ThreadCounts> {
  const env = apiEnv(databaseUrl, newRunSecrets(), profiling);
  const server = await startServer({
    name: `api under callgrind (profiling ${profiling ? 'on' : 'off'})`,
    script: API_MAIN,
    env,
    readyPath: '/health/ready',
    wrapper: [
      'valgrind',
      '--tool=callgrind',
      '--instr-atstart=no',
      '--separate-threads=yes',
      '--smc-check=all-non-file',
      ...(settings.cacheSim ? ['--cache-sim=yes'] : []),
      `--callgrind-out-file=${directory}/callgrind.%p`,
    ],
  });
  stops.unshift(() => server.stop());
  const load = (requests: number) => measureHttp({ baseUrl: server.baseUrl, next: () => request }, { connections: CONNECTIONS, requests });
  await load(settings.warmup);
  for (let attempt = 1; ; attempt += 1) {
    callgrindControl(server, env, '--zero');
    callgrindControl(server, env, '--instr=on');
    const measured = await load(settings.requests);
    callgrindControl(server, env, '--instr=off');
    if (measured.requests === settings.requests && measured.cache?.HIT === settings.requests) break;
    // The cached response lives discovery.cache_ttl_seconds (60 s by default), about as long as a window under
    // valgrind: a window that saw it expire is counted again, right after the miss refreshed it.
    if (attempt === MEASURE_ATTEMPTS || measured.errors > 0) {
      throw new Error(`expected ${settings.requests} cache hits, got ${measured.requests} answers (${JSON.stringify(measured.cache)}), ${measured.errors} errors: ${measured.firstError ?? ''}`);
    }
  }
  callgrindControl(server, env, '--dump');
  return countDump(directory, server.pid!);
}

/** Counts in thousands, and the small ones (last-level misses) as they are. */
const count = (value: number) => (Math.abs(value) >= 10_000 ? `${(value / 1000).toFixed(1)}k` : value.toFixed(0));
const overhead = (on: number, off: number) => `${(((on - off) / off) * 100).toFixed(1)}%`;

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  await measureCachedRoute({ command: 'valgrind', debianPackage: 'valgrind' }, settings.dataset, async ({ databaseUrl, request, directory, stops }) => {
    console.error(
      `Counting ${settings.requests} cached requests (${request.path}) after ${settings.warmup} warm-up requests, profiling on and off side by side${settings.cacheSim ? ', caches simulated' : ''}; a few minutes.`,
    );
    const [on, off] = await Promise.all([true, false].map((profiling) => countSide(profiling, databaseUrl, request, settings, directory, stops)));
    const perRequest = (counts: EventCounts, event: string) => (counts.get(event) ?? 0) / settings.requests;
    const withoutGc = (side: ThreadCounts, event: string) => perRequest(side.main, event) - perRequest(side.mainGc, event);
    const rows: Array<[string, number, number]> = [
      ['main thread, without GC', withoutGc(on, 'Ir'), withoutGc(off, 'Ir')],
      ['main thread, GC', perRequest(on.mainGc, 'Ir'), perRequest(off.mainGc, 'Ir')],
      ['all threads', perRequest(on.all, 'Ir'), perRequest(off.all, 'Ir')],
    ];
    if (settings.cacheSim) for (const [event, label] of CACHE_EVENTS) rows.push([`main thread, without GC: ${label} (${event})`, withoutGc(on, event), withoutGc(off, event)]);
    console.log(`Per cached discovery request (${settings.dataset}, ${settings.requests} requests after ${settings.warmup}): instructions${settings.cacheSim ? ' and simulated cache misses' : ''}\n`);
    console.log('| | profiling on | profiling off | on − off | overhead |\n|---|---:|---:|---:|---:|');
    for (const [label, inOn, inOff] of rows) console.log(`| ${label} | ${count(inOn)} | ${count(inOff)} | ${count(inOn - inOff)} | ${overhead(inOn, inOff)} |`);
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
