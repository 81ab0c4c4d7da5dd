import type { BenchReport, Impl, ScenarioResult } from './results-model';

const COLORS: Record<Impl, string> = { api: '#2563eb', legacy: '#dc2626', raw: '#16a34a', ceiling: '#9333ea' };

const WIDTH = 960;
const LABEL_WIDTH = 230;
const RIGHT_MARGIN = 150;
const TOP = 70;
const BAR_HEIGHT = 14;
const BAR_GAP = 4;
const GROUP_GAP = 14;
const AXIS_HEIGHT = 40;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const format = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));

/** Decades covering every measured latency, so api and legacy fit on one log axis. */
function decades(results: ScenarioResult[]): { min: number; max: number } {
  const values = results.flatMap((result) => [result.p50Ms, result.p99Ms]).filter((value): value is number => value !== null && value > 0);
  const min = 10 ** Math.floor(Math.log10(Math.min(...values, 1)));
  const max = 10 ** Math.ceil(Math.log10(Math.max(...values, 10)));
  return { min, max };
}

/**
 * A self-contained SVG: per scenario one bar per implementation for p50 latency, a whisker to
 * p99 with a tick at p95, on a log scale (legacy and api differ by orders of magnitude).
 */
export function renderChart(report: BenchReport): string {
  const results = report.results.filter((result) => result.p50Ms !== null);
  const scenarios = [...new Set(results.map((result) => result.name))];
  const { min, max } = decades(results);
  const plotWidth = WIDTH - LABEL_WIDTH - RIGHT_MARGIN;
  const x = (ms: number) => LABEL_WIDTH + (Math.log10(Math.max(ms, min) / min) / Math.log10(max / min)) * plotWidth;
  const parts: string[] = [];
  let y = TOP;
  for (const scenario of scenarios) {
    const rows = results.filter((result) => result.name === scenario);
    const groupHeight = rows.length * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
    parts.push(`<text x="${LABEL_WIDTH - 10}" y="${y + groupHeight / 2 + 4}" text-anchor="end" font-weight="600">${escape(scenario)}</text>`);
    for (const row of rows) {
      const p50 = row.p50Ms!;
      const mid = y + BAR_HEIGHT / 2;
      parts.push(
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${(x(p50) - LABEL_WIDTH).toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLORS[row.impl]}"><title>${escape(`${scenario} ${row.impl}: p50 ${format(p50)} ms, p95 ${format(row.p95Ms!)} ms, p99 ${format(row.p99Ms!)} ms, ${row.rps.toFixed(0)} rps`)}</title></rect>`,
        `<line x1="${x(p50).toFixed(1)}" x2="${x(row.p99Ms!).toFixed(1)}" y1="${mid}" y2="${mid}" stroke="#111" stroke-width="1"/>`,
        `<line x1="${x(row.p95Ms!).toFixed(1)}" x2="${x(row.p95Ms!).toFixed(1)}" y1="${mid - 4}" y2="${mid + 4}" stroke="#111"/>`,
        `<line x1="${x(row.p99Ms!).toFixed(1)}" x2="${x(row.p99Ms!).toFixed(1)}" y1="${mid - 5}" y2="${mid + 5}" stroke="#111"/>`,
        `<text x="${(x(row.p99Ms!) + 6).toFixed(1)}" y="${mid + 4}" fill="#333">${row.impl} ${format(p50)} ms</text>`,
      );
      y += BAR_HEIGHT + BAR_GAP;
    }
    y += GROUP_GAP;
  }
  const axisY = y;
  for (let exponent = Math.round(Math.log10(min)); exponent <= Math.round(Math.log10(max)); exponent += 1) {
    const tick = 10 ** exponent;
    parts.push(
      `<line x1="${x(tick).toFixed(1)}" x2="${x(tick).toFixed(1)}" y1="${TOP - 6}" y2="${axisY}" stroke="#ddd"/>`,
      `<text x="${x(tick).toFixed(1)}" y="${axisY + 16}" text-anchor="middle" fill="#555">${tick >= 1 ? tick : tick.toFixed(-exponent)} ms</text>`,
    );
  }
  const legend = (Object.keys(COLORS) as Impl[])
    .map((impl, index) => `<rect x="${LABEL_WIDTH + index * 110}" y="36" width="12" height="12" fill="${COLORS[impl]}"/><text x="${LABEL_WIDTH + index * 110 + 18}" y="47">${impl}</text>`)
    .join('');
  const height = axisY + AXIS_HEIGHT;
  const network = report.settings.dbRttMs > 0 ? `, +${report.settings.dbRttMs} ms per database round trip` : '';
  const title = `Latency per scenario (p50 bar, p95 tick, p99 whisker; log scale) — ${report.dataset.name} dataset${network}, ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${report.machine.cores} × ${report.machine.cpuModel}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="16" y="22" font-size="14" font-weight="600">${escape(title)}</text>`,
    legend,
    ...parts,
    `<text x="${LABEL_WIDTH + plotWidth / 2}" y="${height - 6}" text-anchor="middle" fill="#555">latency (ms, log scale)</text>`,
    '</svg>',
    '',
  ].join('\n');
}
