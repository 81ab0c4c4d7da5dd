import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChart } from './chart';
import { renderMarkdown } from './markdown';
import { REPOSITORY_ROOT } from './environment';
import type { BenchReport } from './results-model';

export const RESULTS_DIR = join(REPOSITORY_ROOT, 'bench', 'results');

const stampOf = (report: BenchReport) => `${report.startedAt.replace(/[:.]/g, '-')}-${report.dataset.name}`;

/** latest.json and latest.svg, plus timestamped copies of both, and latest.md; returns the paths written. */
export function writeReport(report: BenchReport): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = stampOf(report);
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

/** bench/results/<kind>-<start time>.md and .json, for the runs that write no latest.*; returns the Markdown and the paths written. */
export function writeRunReport<Report extends { startedAt: string }>(kind: string, report: Report, render: (report: Report) => string): { markdown: string; files: string[] } {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = report.startedAt.slice(0, 19).replace(/:/g, '-');
  const markdown = render(report);
  const files = [join(RESULTS_DIR, `${kind}-${stamp}.md`), join(RESULTS_DIR, `${kind}-${stamp}.json`)];
  writeFileSync(files[0], markdown);
  writeFileSync(files[1], `${JSON.stringify(report, null, 2)}\n`);
  return { markdown, files };
}
