import { loadavg } from 'node:os';
import { SCALES } from '../src/seed/scales';
import { newRunSecrets, prepareViewer, registerUser, removeUser, RunSecrets, startApi } from './api-under-test';
import { openBenchData, Stops } from './bench-database';
import { describeMachine, describeVersions, Versions } from './environment';
import type { Fixtures } from './fixtures';
import { HttpRequest, Measurement, measureHttp } from './measure';
import type { DatasetName, ScalingOptions } from './options';
import type { ScalingDataset, ScalingMeasurement, ScalingReport, ScalingScenarioInfo } from './results-model';
import { writeScalingReport } from './scaling-report';
import { checkScalingTargets } from './targets';
import { latency } from './terminal';
import { DateHalf, detailPath, DiscoveryParams, discoveryPath, distanceDiscoveries, FILTER_MIXES, FilterMix, getRequest, mixMisses, Sequence, venueRotation } from './workloads';

/** Issue 13 measures one request at a time: latency without queueing, so growth is the work's own. */
const CONNECTIONS = 1;
/** Sent explicitly, so the pages measured stay 20 cards whatever the API's default becomes. */
const PAGE_SIZE = 20;

type DiscoveryPasses = (fixtures: Fixtures, half: DateHalf) => Sequence<DiscoveryParams>;

const ofMix =
  (mix: FilterMix): DiscoveryPasses =>
  (fixtures, half) =>
    mixMisses(fixtures, mix, half);

/** The discovery mixes of issue 13's table, each drawing its requests from one half of the working dates. */
const DISCOVERY_MIXES: Array<{ name: string; label: string; sequence: DiscoveryPasses }> = [
  { name: 'city-date-guests', label: 'city, date, guests, page 1–3', sequence: ofMix(FILTER_MIXES.pagesOneToThree) },
  { name: 'price-sort-max-price', label: 'price sort, maxPrice', sequence: ofMix(FILTER_MIXES.priceSortMaxPrice) },
  { name: 'two-categories', label: 'two categories, guests', sequence: ofMix(FILTER_MIXES.twoCategories) },
  { name: 'add-on-instant-book', label: 'add-on + instantBook', sequence: ofMix(FILTER_MIXES.addOnInstantBook) },
  { name: 'only-available', label: 'onlyAvailable', sequence: ofMix(FILTER_MIXES.onlyAvailable) },
  { name: 'distance-radius', label: 'distance sort + radius', sequence: distanceDiscoveries },
];

const DETAIL: ScalingScenarioInfo = { name: 'detail', label: 'detail (days=7)', kind: 'detail' };

const SCALING_SCENARIOS: ScalingScenarioInfo[] = [...DISCOVERY_MIXES.map(({ name, label }) => ({ name, label, kind: 'discovery' as const })), DETAIL];

interface ScalingScenario extends ScalingScenarioInfo {
  warmup: () => HttpRequest;
  measured: () => HttpRequest;
}

/**
 * A dataset's requests. The warm-up pass of a discovery mix visits the cities of its measured
 * pass on the other half of the dates: plans and pages of the same cities get warm, and no key
 * the measured pass sends is cached. Detail is never cached; its passes take successive venues.
 */
function scenariosFor(fixtures: Fixtures, authorization: string): ScalingScenario[] {
  const discovery = DISCOVERY_MIXES.map(({ name, label, sequence }) => {
    const [warmup, measured] = ([0, 1] as const).map((half) => {
      const next = sequence(fixtures, half);
      return () => getRequest(discoveryPath({ ...next(), pageSize: PAGE_SIZE }));
    });
    return { name, label, kind: 'discovery' as const, warmup, measured };
  });
  const venues = venueRotation(fixtures);
  const detail = () => getRequest(detailPath(venues()), { authorization });
  return [...discovery, { ...DETAIL, warmup: detail, measured: detail }];
}

/** What makes a pass not measure what the table says it does. */
function problemsOf(dataset: DatasetName, scenario: ScalingScenario, measured: Measurement, requests: number): string[] {
  const where = `${dataset}, ${scenario.label}`;
  const problems: string[] = [];
  if (measured.errors > 0) problems.push(`${where}: ${measured.errors} failed requests; first: ${measured.firstError ?? 'unknown'}`);
  if (measured.requests !== requests) problems.push(`${where}: ${measured.requests} successful requests, ${requests} sent`);
  if (!measured.serverTotal) problems.push(`${where}: no Server-Timing total in the responses`);
  const notMisses = Object.keys(measured.cache ?? {}).filter((cache) => cache !== 'MISS');
  if (scenario.kind === 'discovery' && (notMisses.length > 0 || !measured.cache?.MISS)) {
    problems.push(`${where}: X-Cache ${JSON.stringify(measured.cache ?? {})}, every response should be a MISS`);
  }
  return problems;
}

async function passOf(baseUrl: string, next: () => HttpRequest, requests: number): Promise<Measurement> {
  return measureHttp({ baseUrl, next }, { connections: CONNECTIONS, requests });
}

const ms = (value: number | null | undefined) => `${latency(value ?? null)} ms`;

/** One dataset: its database, a fresh API process on it, a user, a warm-up pass of every scenario, then the measured pass. */
async function measureDataset(
  dataset: DatasetName,
  options: ScalingOptions,
  context: { secrets: RunSecrets; runId: string; problems: string[]; log: (line: string) => void },
): Promise<{ result: ScalingDataset; versions: Versions }> {
  const { log } = context;
  const stops: Stops = [];
  try {
    const { database, harness, fixtures } = await openBenchData(dataset, log, stops);
    const api = await startApi(database.url, context.secrets, true, options.cpuProfile);
    stops.unshift(() => api.stop());
    const user = await registerUser(api.baseUrl, `${context.runId}-${dataset}`);
    stops.unshift(() => removeUser(harness, user.id));
    await prepareViewer(api.baseUrl, harness, user, fixtures.detailVenues.slice(0, 2 * options.requests));
    const scenarios = scenariosFor(fixtures, user.authorization);
    log(`${dataset}: ${database.location}; API started, warm-up pass (${options.requests} requests per scenario)`);
    const warmups = new Map<string, Measurement>();
    for (const scenario of scenarios) warmups.set(scenario.name, await passOf(api.baseUrl, scenario.warmup, options.requests));
    const measurements: ScalingMeasurement[] = [];
    for (const scenario of scenarios) {
      const measured = await passOf(api.baseUrl, scenario.measured, options.requests);
      const warmup = warmups.get(scenario.name)!;
      measurements.push({ scenario: scenario.name, warmup, measured, loadAverage1m: Math.round(loadavg()[0] * 100) / 100 });
      context.problems.push(...problemsOf(dataset, scenario, measured, options.requests));
      log(
        `  ${dataset.padEnd(7)} ${scenario.label.padEnd(30)} total p50 ${ms(measured.serverTotal?.p50Ms)}, p95 ${ms(measured.serverTotal?.p95Ms)}; wall p50 ${ms(measured.p50Ms)}, p95 ${ms(measured.p95Ms)}; warm-up total p50 ${ms(warmup.serverTotal?.p50Ms)}`,
      );
    }
    return {
      result: { name: dataset, venues: SCALES[dataset].venueCount, database: database.location, measurements },
      versions: await describeVersions(harness),
    };
  } finally {
    for (const stop of stops) await stop().catch((error: unknown) => log(`cleanup: ${String(error)}`));
  }
}

/**
 * `--scaling`: issue 13's question, how the API's time grows with the data. Each dataset in turn
 * (smallest first) gets its own API process of this one build; the report is one table.
 * Returns the exit code: 1 when a pass did not measure what it should (targets never fail it).
 */
export async function runScaling(options: ScalingOptions, runId: string, log: (line: string) => void): Promise<number> {
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  log(`Venues API bench --scaling: ${options.datasets.join(', ')}; ${options.requests} requests per scenario after a warm-up pass, 1 connection`);
  log(`Machine: ${machine.cores} × ${machine.cpuModel}, load average ${machine.loadAverageAtStart.join(' ')}`);
  const context = { secrets: newRunSecrets(), runId, problems: [] as string[], log };
  const datasets: ScalingDataset[] = [];
  let versions: Versions | undefined;
  for (const dataset of options.datasets) {
    const measured = await measureDataset(dataset, options, context);
    datasets.push(measured.result);
    versions = measured.versions;
  }
  const report: ScalingReport = {
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt,
    finishedAt: new Date().toISOString(),
    settings: { requestsPerScenario: options.requests, connections: CONNECTIONS, pageSize: PAGE_SIZE },
    machine,
    versions: versions!,
    scenarios: SCALING_SCENARIOS,
    datasets,
    targets: checkScalingTargets(SCALING_SCENARIOS, datasets),
    problems: context.problems,
  };
  const { markdown, files } = writeScalingReport(report);
  log(`\n${markdown}`);
  for (const file of files) log(`wrote ${file}`);
  return report.problems.length > 0 ? 1 : 0;
}
