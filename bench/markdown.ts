import { describeDbRtt, relayLatenessLine } from './db-relay';
import type { Machine, Versions } from './environment';
import { roundTripTable } from './round-trips';
import type { BenchReport, TargetCheck } from './results-model';
import { COLUMNS } from './terminal';

/** The Machine: and Versions: lines under a report's command. */
export function environmentLines(machine: Machine, versions: Versions): string[] {
  const packages = Object.entries(versions.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return [
    `Machine: ${machine.cores} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.os}; load average at start ${machine.loadAverageAtStart.join(' / ')} (1/5/15 min).`,
    `Versions: Node ${versions.node}, PostgreSQL ${versions.postgres}, ${packages}; commit ${versions.gitCommit ?? 'unknown'}${versions.gitDirty ? ' with uncommitted changes' : ''}.`,
  ];
}

/** A run's start as the reports print it: `2026-11-30 03:40`, in UTC. */
export const minuteOf = (isoTime: string) => isoTime.slice(0, 16).replace('T', ' ');

/** A target as a list item; issue 13 words its verdicts met/missed. */
export function targetItem(check: TargetCheck, verdicts = { pass: 'PASS', miss: 'MISS' }): string {
  return `- **${check.pass === null ? 'n/a' : check.pass ? verdicts.pass : verdicts.miss}** ${check.target}: ${check.measured}`;
}

/** What makes a run not measure what its report says, as the report's closing lines. */
export function problemLines(problems: string[]): string[] {
  return problems.length > 0 ? ['', '**Not a valid measurement:**', ...problems.map((problem) => `- ${problem}`)] : [];
}

/** The run as Markdown (table, targets, machine, versions), to paste into docs/benchmarks.md as it is. */
export function renderMarkdown(report: BenchReport): string {
  const { settings } = report;
  const lines = [
    `Command: \`${report.command}\` — ${minuteOf(report.startedAt)} UTC, ${settings.durationS} s per run after ${settings.warmupS} s of warm-up, ${settings.connections} connection${settings.connections === 1 ? '' : 's'}.`,
    `Data: ${report.dataset.name} (${report.dataset.venues.toLocaleString('en')} venues), ${report.dataset.database}.`,
    `Database round trips: ${describeDbRtt(settings.dbRttMs)}.${report.relayLateness !== undefined ? ` ${relayLatenessLine(report.relayLateness)}` : ''}`,
    ...environmentLines(report.machine, report.versions),
    '',
    `| ${COLUMNS.map((column) => column.title).join(' | ')} | load 1m |`,
    `|${COLUMNS.map((_, index) => (index < 2 ? '---' : '---:')).join('|')}|---:|`,
    ...report.results.map((result) => `| ${COLUMNS.map((column) => column.value(result)).join(' | ')} | ${result.loadAverage1m} |`),
    '',
    ...(report.roundTrips ? [...roundTripTable(report.roundTrips, settings.dbRttMs), ''] : []),
    ...report.targets.map((check) => targetItem(check)),
    '',
  ];
  return lines.join('\n');
}
