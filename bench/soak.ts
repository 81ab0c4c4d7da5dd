import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { SCALES } from '../src/seed/scales';
import { API_MAIN, apiEnv, newRunSecrets } from './api-under-test';
import { openBenchData, Stops } from './bench-database';
import { describeMachine, describeVersions } from './environment';
import { measureHttp } from './measure';
import type { SoakOptions } from './options';
import { ServerProcess, startServer } from './processes';
import { MemorySample, SoakReport, writeSoakReport } from './soak-report';
import { discoveryMisses, discoveryPath, getRequest } from './workloads';

/** Load samples: one every N/20 misses. */
const LOAD_SAMPLES = 20;
const GC_ON_SIGNAL = join(__dirname, 'gc-on-signal.js');
/** A full GC of a few hundred MB takes well under this; the kernel's RSS follows the freed pages at once. */
const GC_SETTLE_MS = 2_000;

/** The /metrics series a sample reads (prom-client's process and Node metrics, the response cache's own). */
const SERIES = {
  residentBytes: 'process_resident_memory_bytes',
  heapUsedBytes: 'nodejs_heap_size_used_bytes',
  heapTotalBytes: 'nodejs_heap_size_total_bytes',
  externalBytes: 'nodejs_external_memory_bytes',
  cacheEntries: 'discovery_cache_entries',
  cacheBytes: 'discovery_cache_bytes',
  cacheMaxBytes: 'discovery_cache_max_bytes',
  cacheEvictions: 'discovery_cache_evictions_total',
} as const;

type Series = Record<keyof typeof SERIES, number>;

/** The unlabelled series of a Prometheus text exposition. */
function seriesOf(exposition: string): Series {
  const values = new Map<string, number>();
  for (const line of exposition.split('\n')) {
    const match = /^([a-z_]+) (\S+)$/.exec(line);
    if (match) values.set(match[1], Number(match[2]));
  }
  return Object.fromEntries(
    Object.entries(SERIES).map(([field, name]) => {
      const value = values.get(name);
      if (value === undefined) throw new Error(`/metrics has no ${name}`);
      return [field, value];
    }),
  ) as Series;
}

async function sample(api: ServerProcess, misses: number, phase: MemorySample['phase'], missP50Ms: number | null = null): Promise<MemorySample> {
  const response = await fetch(`${api.baseUrl}/metrics`);
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return { phase, misses, missP50Ms, ...seriesOf(await response.text()) };
}

/** A full GC in the API process (bench/gc-on-signal), then a sample once it has had time to finish. */
async function sampleAfterGc(api: ServerProcess, misses: number, phase: 'start' | 'after GC'): Promise<MemorySample> {
  process.kill(api.pid!, 'SIGUSR2');
  await sleep(GC_SETTLE_MS);
  return sample(api, misses, phase);
}

/** The process's highest resident memory so far (VmHWM), between samples too; null where /proc is not available. */
function peakResidentBytes(pid: number | undefined): number | null {
  try {
    const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kilobytes === undefined ? null : Number(kilobytes) * 1024;
  } catch {
    return null;
  }
}

/**
 * `--soak N`: does a long run of distinct discovery queries grow the API's memory without bound?
 * One API process as production runs it (NODE_ENV=production, in-process response cache, profiling
 * on), N misses, each a new cache key, sampled every N/20. The bound of the response cache is the
 * API's default unless DISCOVERY_CACHE_MAX_BYTES is set in the bench's environment.
 * Returns the exit code: 1 when the run did not measure what it says (errors, cache hits).
 */
export async function runSoak(options: SoakOptions, log: (line: string) => void): Promise<number> {
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  log(`Venues API bench --soak: ${options.misses.toLocaleString('en')} distinct discovery misses, ${options.dataset} dataset, ${options.connections} connections`);
  const stops: Stops = [];
  try {
    const { database, harness, fixtures } = await openBenchData(options.dataset, log, stops);
    const api = await startServer({
      name: 'api (soak)',
      script: API_MAIN,
      env: apiEnv(database.url, newRunSecrets(), true),
      readyPath: '/health/ready',
      nodeArgs: ['--expose-gc', '--require', GC_ON_SIGNAL],
    });
    stops.unshift(() => api.stop());
    const samples = [await sampleAfterGc(api, 0, 'start')];
    log(lineOf(samples[0]));
    const problems: string[] = [];
    const misses = discoveryMisses(fixtures);
    const next = () => getRequest(discoveryPath(misses()));
    let sent = 0;
    for (let step = 1; step <= LOAD_SAMPLES; step += 1) {
      const requests = Math.round((options.misses * step) / LOAD_SAMPLES) - sent;
      if (requests === 0) continue;
      const measured = await measureHttp({ baseUrl: api.baseUrl, next }, { connections: options.connections, requests });
      sent += requests;
      const notMisses = Object.entries(measured.cache ?? {}).filter(([cache]) => cache !== 'MISS');
      if (measured.errors > 0) problems.push(`${measured.errors} failed requests before ${sent} misses; first: ${measured.firstError ?? 'unknown'}`);
      if (notMisses.length > 0) problems.push(`X-Cache ${JSON.stringify(measured.cache)} before ${sent} misses: every response should be a MISS`);
      samples.push(await sample(api, sent, 'load', measured.p50Ms));
      log(lineOf(samples.at(-1)!));
    }
    const peakResident = peakResidentBytes(api.pid);
    samples.push(await sampleAfterGc(api, sent, 'after GC'));
    log(lineOf(samples.at(-1)!));
    const report: SoakReport = {
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      startedAt,
      finishedAt: new Date().toISOString(),
      dataset: { name: options.dataset, venues: SCALES[options.dataset].venueCount, database: database.location },
      settings: { misses: options.misses, connections: options.connections },
      machine,
      versions: await describeVersions(harness),
      samples,
      peakResidentBytes: peakResident,
      problems,
    };
    const { markdown, files } = writeSoakReport(report);
    log(`\n${markdown}`);
    for (const file of files) log(`wrote ${file}`);
    return problems.length > 0 ? 1 : 0;
  } finally {
    for (const stop of stops) await stop().catch((error: unknown) => log(`cleanup: ${String(error)}`));
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

function lineOf(point: MemorySample): string {
  return `  ${point.phase.padEnd(8)} ${String(point.misses).padStart(7)} misses: resident ${mb(point.residentBytes)}, heap used ${mb(point.heapUsedBytes)}, external ${mb(point.externalBytes)}; cache ${point.cacheEntries} entries, ${mb(point.cacheBytes)}, ${point.cacheEvictions} evictions`;
}
