import type { BenchReport } from './results-model';
import { COLUMNS } from './terminal';

/** The run as Markdown (table, targets, machine, versions), to paste into docs/benchmarks.md as it is. */
export function renderMarkdown(report: BenchReport): string {
  const { machine, versions, settings } = report;
  const packages = Object.entries(versions.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  const lines = [
    `Command: \`${report.command}\` — ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${settings.durationS} s per run after ${settings.warmupS} s of warm-up, ${settings.connections} connection${settings.connections === 1 ? '' : 's'}.`,
    `Data: ${report.dataset.name} (${report.dataset.venues.toLocaleString('en')} venues), ${report.dataset.database}.`,
    `Machine: ${machine.cores} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.os}; load average at start ${machine.loadAverageAtStart.join(' / ')} (1/5/15 min).`,
    `Versions: Node ${versions.node}, PostgreSQL ${versions.postgres}, ${packages}; commit ${versions.gitCommit ?? 'unknown'}${versions.gitDirty ? ' with uncommitted changes' : ''}.`,
    '',
    `| ${COLUMNS.map((column) => column.title).join(' | ')} | load 1m |`,
    `|${COLUMNS.map((_, index) => (index < 2 ? '---' : '---:')).join('|')}|---:|`,
    ...report.results.map((result) => `| ${COLUMNS.map((column) => column.value(result)).join(' | ')} | ${result.loadAverage1m} |`),
    '',
    ...report.targets.map((check) => `- **${check.pass === null ? 'n/a' : check.pass ? 'PASS' : 'MISS'}** ${check.target}: ${check.measured}`),
    '',
  ];
  return lines.join('\n');
}
