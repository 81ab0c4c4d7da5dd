import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChart } from './chart';
import { renderMarkdown } from './markdown';
import type { ContractCheck } from './contract';
import { type Machine, REPOSITORY_ROOT, type Versions } from './environment';
import type { Measurement } from './measure';
import type { BenchOptions } from './options';
import type { TargetCheck } from './targets';

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
}

export interface BenchReport {
  command: string;
  startedAt: string;
  finishedAt: string;
  dataset: { name: string; venues: number; database: string };
  settings: Pick<BenchOptions, 'durationS' | 'connections' | 'warmupS' | 'quick' | 'profilingRounds'>;
  machine: Machine;
  versions: Versions;
  contract: ContractCheck[];
  results: ScenarioResult[];
  targets: TargetCheck[];
}

export const RESULTS_DIR = join(REPOSITORY_ROOT, 'bench', 'results');

/** latest.json and latest.svg, plus timestamped copies of both, and latest.md; returns the paths written. */
export function writeReport(report: BenchReport): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = `${report.startedAt.replace(/[:.]/g, '-')}-${report.dataset.name}`;
  const latestJson = join(RESULTS_DIR, 'latest.json');
  const latestSvg = join(RESULTS_DIR, 'latest.svg');
  writeFileSync(latestJson, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(latestSvg, renderChart(report));
  const copies = [join(RESULTS_DIR, `${stamp}.json`), join(RESULTS_DIR, `${stamp}.svg`)];
  copyFileSync(latestJson, copies[0]);
  copyFileSync(latestSvg, copies[1]);
  const latestMarkdown = join(RESULTS_DIR, 'latest.md');
  writeFileSync(latestMarkdown, renderMarkdown(report));
  return [latestJson, latestSvg, latestMarkdown, ...copies];
}
