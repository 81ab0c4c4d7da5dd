import { environmentLines, minuteOf, problemLines, targetItem } from './markdown';
import type { Measurement, Percentiles } from './measure';
import { writeRunReport } from './report';
import type { ScalingDataset, ScalingReport } from './results-model';
import { SCALING_LIMITS, SCALING_TARGET_PAIR } from './targets';
import { latency } from './terminal';

/** The two clocks of every scenario: the API's own (what the targets judge) and the client's. */
const TIMINGS: Array<{ title: string; of: (measured: Measurement) => Percentiles | undefined }> = [
  { title: 'Server-Timing total', of: (measured) => measured.serverTotal },
  { title: 'wall', of: ({ p50Ms, p95Ms, p99Ms }) => ({ p50Ms, p95Ms, p99Ms }) },
];

const PERCENTILES = [
  { title: 'p50', of: (timing: Percentiles) => timing.p50Ms },
  { title: 'p95', of: (timing: Percentiles) => timing.p95Ms },
] as const;

const growth = (before: number | null | undefined, after: number | null | undefined) => (before && after !== null && after !== undefined ? `${(after / before).toFixed(2)}×` : '-');

/** Each dataset with the one before it (smallest first). */
function adjacentPairs(datasets: ScalingDataset[]): Array<[ScalingDataset, ScalingDataset]> {
  return datasets.slice(1).map((grown, index) => [datasets[index], grown]);
}

/**
 * One row per scenario and clock: p50 and p95 on each dataset, then the growth from each dataset
 * to the next. The targets' cells (Server-Timing total, large/medium) say met or missed.
 */
export function scalingTable(report: ScalingReport): string[] {
  const pairs = adjacentPairs(report.datasets);
  const header = [
    'scenario',
    'timing',
    ...report.datasets.flatMap((dataset) => PERCENTILES.map((percentile) => `${dataset.name} ${percentile.title} ms`)),
    ...pairs.flatMap(([base, grown]) => PERCENTILES.map((percentile) => `${grown.name}/${base.name} ${percentile.title}`)),
  ];
  const rows = report.scenarios.flatMap((scenario) =>
    TIMINGS.map((timing, timingIndex) => {
      const on = (dataset: ScalingDataset) => {
        const measured = dataset.measurements.find((measurement) => measurement.scenario === scenario.name)?.measured;
        return measured && measured.requests > 0 ? timing.of(measured) : undefined;
      };
      const cells = report.datasets.flatMap((dataset) => {
        const timings = on(dataset);
        return PERCENTILES.map((percentile) => latency(timings ? percentile.of(timings) : null));
      });
      const ratios = pairs.flatMap(([base, grown]) =>
        PERCENTILES.map((percentile) => {
          const [before, after] = [on(base), on(grown)].map((timings) => (timings ? percentile.of(timings) : null));
          const check = report.targets.find(
            (target) => timingIndex === 0 && base.name === SCALING_TARGET_PAIR.base && grown.name === SCALING_TARGET_PAIR.grown && target.scenario === scenario.name && target.percentile === percentile.title,
          );
          const verdict = check?.pass === true ? ' met' : check?.pass === false ? ' **missed**' : '';
          return `${growth(before, after)}${verdict}`;
        }),
      );
      return [timingIndex === 0 ? scenario.label : '', timing.title, ...cells, ...ratios];
    }),
  );
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, index) => (index < 2 ? '---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

export function renderScalingMarkdown(report: ScalingReport): string {
  const { settings } = report;
  const limits = `discovery p50 ≤ ${SCALING_LIMITS.discovery.p50}×, p95 ≤ ${SCALING_LIMITS.discovery.p95}×; detail p50 and p95 ≤ ${SCALING_LIMITS.detail.p50}×`;
  const lines = [
    `Command: \`${report.command}\` — ${minuteOf(report.startedAt)} UTC; per scenario and dataset ${settings.requestsPerScenario} measured requests after a warm-up pass of ${settings.requestsPerScenario} others, at ${settings.connections} connection, one request at a time, pageSize ${settings.pageSize}; every discovery request a new cache key (checked: X-Cache MISS); one API process per dataset.`,
    `Data: ${report.datasets.map((dataset) => `${dataset.name} (${dataset.venues.toLocaleString('en')} venues): ${dataset.database}`).join('; ')}.`,
    ...environmentLines(report.machine, report.versions),
    `Load average (1 min) at the end of each measured pass: ${report.datasets.map((dataset) => `${dataset.name} ${dataset.measurements.map((measurement) => measurement.loadAverage1m).join(', ')}`).join('; ')}.`,
    '',
    ...scalingTable(report),
    '',
    ...(report.targets.length > 0
      ? [
          `met / missed: issue 13's targets, ${SCALING_TARGET_PAIR.grown}/${SCALING_TARGET_PAIR.base} in Server-Timing total (${limits}); informational, they never fail the run.`,
          '',
          ...report.targets.map((check) => targetItem(check, { pass: 'met', miss: 'missed' })),
        ]
      : [`Issue 13's targets compare ${SCALING_TARGET_PAIR.grown} with ${SCALING_TARGET_PAIR.base}: not both in this run.`]),
    ...problemLines(report.problems),
    '',
  ];
  return lines.join('\n');
}

/** bench/results/scaling-<start time>.md and .json; returns the Markdown and the paths written. */
export const writeScalingReport = (report: ScalingReport) => writeRunReport('scaling', report, renderScalingMarkdown);
