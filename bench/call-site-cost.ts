import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { appEntities } from '../src/app.entities';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { CallSites, REPEATS_PER_REQUEST } from '../src/profiling/call-sites';
import { instrumentPool, ProfiledClient } from '../src/profiling/instrumented-pg';
import { RequestProfile } from '../src/profiling/request-profile';
import { runInRequestContext } from '../src/request-context/request-context';
import { Venue } from '../src/venue-domain/entities/venue.entity';
import { prepareBenchDatabase } from './bench-database';

/**
 * What a statement's call site costs the profiler, measured where it is paid: the stack capture
 * when the statement is sent, and the formatting, parsing and source mapping when it is recorded.
 * Runs a TypeORM query builder (the API's usual stack depth) on the demo bench database, in
 * requests of REPEATS_PER_REQUEST repeats (every repeat's call site is captured), alternating with
 * rounds where nothing is captured, and prints the time per statement of each part.
 *
 *   npm run bench:call-sites        (DATABASE_URL as for npm run bench; run from the built dist/)
 */
const REQUESTS = 20;
const ROUNDS = 5;

type Timed = { calls: number; ms: number };

function timePrototypeMethod(name: 'capture' | 'resolve'): Timed {
  const timed: Timed = { calls: 0, ms: 0 };
  const original = CallSites.prototype[name] as (...args: unknown[]) => unknown;
  (CallSites.prototype as unknown as Record<string, unknown>)[name] = function (this: CallSites, ...args: unknown[]) {
    const start = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      timed.calls += 1;
      timed.ms += performance.now() - start;
    }
  };
  return timed;
}

class VenueLookups {
  constructor(private readonly dataSource: DataSource) {}

  async venueById(id: number): Promise<Venue | null> {
    return await this.dataSource.getRepository(Venue).createQueryBuilder('venue').where('venue.id = :id', { id }).getOne();
  }
}

async function inRequest<T>(work: () => Promise<T>): Promise<T> {
  const profile = new RequestProfile('call-site-cost', 'GET', '/bench', { captureParams: false, slowQueryMs: 60_000, idleSessionMs: 60_000 });
  return runInRequestContext({ profile }, work);
}

async function main(): Promise<void> {
  const database = await prepareBenchDatabase('demo', (line) => console.error(line));
  const dataSource = new DataSource(buildDataSourceOptions({ url: database.url, poolSize: 2, connectionTimeoutMs: 5000, entities: appEntities, poolExtras: { Client: ProfiledClient } }));
  await dataSource.initialize();
  instrumentPool((dataSource.driver as unknown as { master: Parameters<typeof instrumentPool>[0] }).master);
  const lookups = new VenueLookups(dataSource);
  const capture = timePrototypeMethod('capture');
  const resolve = timePrototypeMethod('resolve');

  // Warm-up: connections, metadata, JIT, and the shape's first runs (captured whatever the request).
  for (let run = 0; run < 50; run += 1) await inRequest(() => lookups.venueById(1 + (run % 10)));
  capture.calls = capture.ms = resolve.calls = resolve.ms = 0;

  const repeats = async () => {
    const start = performance.now();
    for (let request = 0; request < REQUESTS; request += 1) {
      await inRequest(async () => {
        for (let run = 0; run < REPEATS_PER_REQUEST; run += 1) await lookups.venueById(1 + (run % 10));
      });
    }
    return (performance.now() - start) / (REQUESTS * REPEATS_PER_REQUEST);
  };
  const wants = CallSites.prototype.wants;
  const capturing: number[] = [];
  const notCapturing: number[] = [];
  // Alternating rounds, the median of each side: the machine's speed drifts within a run.
  for (let round = 0; round < ROUNDS; round += 1) {
    CallSites.prototype.wants = wants;
    capturing.push(await repeats());
    CallSites.prototype.wants = () => false;
    notCapturing.push(await repeats());
  }
  CallSites.prototype.wants = wants;

  const µs = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(`${ROUNDS} alternating rounds of ${REQUESTS} requests × ${REPEATS_PER_REQUEST} repeats of one TypeORM query builder statement`);
  console.log(`  capture (V8 stack, not formatted):     ${µs(capture.ms / capture.calls)} per captured statement (${capture.calls} captured)`);
  console.log(`  resolve (format, parse, source map):   ${µs(resolve.ms / resolve.calls)} per captured statement`);
  console.log(`  statement, call site captured (wall):  ${µs(median(capturing))} median`);
  console.log(`  statement, not captured (wall):        ${µs(median(notCapturing))} median`);
  await dataSource.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

