import type { Machine, Versions } from './environment';
import { environmentLines, minuteOf, problemLines, targetItem } from './markdown';
import { writeRunReport } from './report';
import type { TargetCheck } from './results-model';
import { latency } from './terminal';

/** The API process's memory and response cache at one point of a soak, as its /metrics reported them. */
export interface MemorySample {
  /** start and after GC: read after a forced full GC; load: right after a batch of misses. */
  phase: 'start' | 'load' | 'after GC';
  /** Distinct misses answered so far. */
  misses: number;
  /** p50 of the batch of misses that ended at this sample (load samples only). */
  missP50Ms: number | null;
  residentBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  cacheEntries: number;
  cacheBytes: number;
  cacheMaxBytes: number;
  cacheEvictions: number;
}

export interface SoakReport {
  command: string;
  startedAt: string;
  finishedAt: string;
  dataset: { name: string; venues: number; database: string };
  settings: { misses: number; connections: number };
  machine: Machine;
  versions: Versions;
  /** start, then one per N/20 misses, then after GC. */
  samples: MemorySample[];
  /** The highest resident memory of the process up to the end of the load, between samples too (VmHWM); null without /proc. */
  peakResidentBytes: number | null;
  /** Why the run does not measure what it says (failed requests, cache hits); the run then exits 1. */
  problems: string[];
}

/** Issue 14 item 5: resident memory under 400 MB through 40,000 distinct misses. */
export const SOAK_RESIDENT_LIMIT_BYTES = 400e6;
const SOAK_TARGET_MISSES = 40_000;

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

export function soakTarget(report: SoakReport): TargetCheck {
  const highest = report.samples.reduce((a, b) => (b.residentBytes > a.residentBytes ? b : a));
  const peak = Math.max(highest.residentBytes, report.peakResidentBytes ?? 0);
  const measured = `highest sample ${mb(highest.residentBytes)} MB (${highest.phase}, after ${highest.misses.toLocaleString('en')} misses); peak between samples (VmHWM) ${report.peakResidentBytes === null ? 'unknown' : `${mb(report.peakResidentBytes)} MB`}`;
  const enough = report.settings.misses >= SOAK_TARGET_MISSES;
  return {
    target: `resident memory < ${SOAK_RESIDENT_LIMIT_BYTES / 1e6} MB through ${SOAK_TARGET_MISSES.toLocaleString('en')} distinct misses`,
    measured: enough ? measured : `${measured}; this run sent only ${report.settings.misses.toLocaleString('en')} misses`,
    pass: enough ? peak < SOAK_RESIDENT_LIMIT_BYTES : null,
  };
}

/** How resident memory moved from the first sample at which the cache had evicted (it was full) to the last load sample. */
export function growthOnceFull(samples: MemorySample[]): string {
  const load = samples.filter((point) => point.phase === 'load');
  const full = load.find((point) => point.cacheEvictions > 0);
  const last = load.at(-1);
  if (!full || !last || full === last) return 'The response cache did not reach its bound before the last sample: send more misses to see memory once it is full.';
  const change = last.residentBytes - full.residentBytes;
  return (
    `Once the cache was full (first evictions by ${full.misses.toLocaleString('en')} misses) resident memory went from ${mb(full.residentBytes)} to ${mb(last.residentBytes)} MB ` +
    `(${change >= 0 ? '+' : ''}${mb(change)} MB over ${(last.misses - full.misses).toLocaleString('en')} more misses) while the cache held ${mb(last.cacheBytes)} of its ${mb(last.cacheMaxBytes)} MB.`
  );
}

const COLUMNS: Array<{ title: string; value: (point: MemorySample) => string }> = [
  { title: 'sample', value: (point) => point.phase },
  { title: 'misses', value: (point) => point.misses.toLocaleString('en') },
  { title: 'resident MB', value: (point) => mb(point.residentBytes) },
  { title: 'heap used MB', value: (point) => mb(point.heapUsedBytes) },
  { title: 'heap total MB', value: (point) => mb(point.heapTotalBytes) },
  { title: 'external MB', value: (point) => mb(point.externalBytes) },
  { title: 'cache entries', value: (point) => point.cacheEntries.toLocaleString('en') },
  { title: 'cache MB', value: (point) => mb(point.cacheBytes) },
  { title: 'evictions', value: (point) => point.cacheEvictions.toLocaleString('en') },
  { title: 'miss p50 ms', value: (point) => latency(point.missP50Ms) },
];

export function renderSoakMarkdown(report: SoakReport): string {
  const { settings } = report;
  const bound = report.samples[0]?.cacheMaxBytes ?? 0;
  const lines = [
    `Command: \`${report.command}\` — ${minuteOf(report.startedAt)} UTC; ${settings.misses.toLocaleString('en')} distinct discovery misses (every one a new cache key, checked: X-Cache MISS) at ${settings.connections} connections against one API process (NODE_ENV=production, in-process response cache bounded at ${mb(bound)} MB, profiling on), started with --expose-gc. Memory as its /metrics reports it (resident = VmRSS) before the load and after a forced full GC, after every ${Math.round(settings.misses / 20).toLocaleString('en')} misses, and after the load and a forced full GC.`,
    `Data: ${report.dataset.name} (${report.dataset.venues.toLocaleString('en')} venues), ${report.dataset.database}.`,
    ...environmentLines(report.machine, report.versions),
    '',
    `| ${COLUMNS.map((column) => column.title).join(' | ')} |`,
    `|${COLUMNS.map((_, index) => (index === 0 ? '---' : '---:')).join('|')}|`,
    ...report.samples.map((point) => `| ${COLUMNS.map((column) => column.value(point)).join(' | ')} |`),
    '',
    growthOnceFull(report.samples),
    '',
    targetItem(soakTarget(report)),
    ...problemLines(report.problems),
    '',
  ];
  return lines.join('\n');
}

/** bench/results/soak-<start time>.md and .json; returns the Markdown and the paths written. */
export const writeSoakReport = (report: SoakReport) => writeRunReport('soak', report, renderSoakMarkdown);
