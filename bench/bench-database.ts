import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../src/config/app-config';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { createDatabaseIfMissing, withClient } from '../src/database/postgres-admin';
import { SCALES } from '../src/seed/scales';
import { Fixtures, loadFixtures } from './fixtures';
import type { DatasetName } from './options';

export interface BenchDatabase {
  url: string;
  /** Where the data lives, without credentials, for the report. */
  location: string;
  /** Stops the embedded PostgreSQL when the bench started it. */
  release(): Promise<void>;
}

/** Clean-ups, the last one added first: each caller runs them in its `finally`. */
export type Stops = Array<() => Promise<unknown>>;

/**
 * A dataset's bench database with the harness connected to it and the fixtures read from it, for a
 * run against one API process; what it opened is added to `stops`, also when it fails half-way.
 */
export async function openBenchData(dataset: DatasetName, log: (line: string) => void, stops: Stops): Promise<{ database: BenchDatabase; harness: DataSource; fixtures: Fixtures }> {
  const database = await prepareBenchDatabase(dataset, log);
  stops.unshift(() => database.release());
  const harness = await connectHarness(database.url, stops);
  return { database, harness, fixtures: await loadFixtures(harness) };
}

/**
 * The harness's own TypeORM connection to a database: no entities (the schema may not exist yet,
 * and the harness must not see the data through the API's mapping), so tables and system views are
 * read by name through query builders. Closed by `stops`.
 */
export async function connectHarness(url: string, stops: Stops): Promise<DataSource> {
  const dataSource = new DataSource({ type: 'postgres', url, poolSize: 2 });
  await dataSource.initialize();
  stops.unshift(() => dataSource.destroy());
  return dataSource;
}

interface Server {
  /** A URL of the server with the database part to be replaced. */
  url: URL;
  description: string;
  stop(): Promise<void>;
}

const SEED_CLI = join(__dirname, '../src/seed/seed.cli.js');

/**
 * The database `venues_bench_<dataset>`: on DATABASE_URL's server when set, else in the embedded
 * PostgreSQL that `npm start` uses (reused when `npm start` is running, started otherwise). Created
 * and seeded when missing or when its venue count is not the dataset's; a database of its own,
 * because the booking scenario writes and the seed replaces every row.
 */
export async function prepareBenchDatabase(dataset: DatasetName, log: (line: string) => void): Promise<BenchDatabase> {
  const server = await resolveServer(log);
  const name = `venues_bench_${dataset}`;
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  try {
    await createDatabaseIfMissing(server.url.href, name);
    const expected = SCALES[dataset].venueCount;
    const venues = await countVenues(url.href);
    if (venues !== expected) {
      log(`${name}: ${venues === undefined ? 'no venues table' : `${venues} venues`}, expected ${expected}: seeding (npm run seed -- --scale ${dataset})`);
      await seed(url.href, dataset);
    }
    if (await neverVacuumed(url.href)) {
      log(`${name}: never vacuumed; VACUUM (ANALYZE), as autovacuum would have done on a server that serves it`);
      // Raw: VACUUM is a maintenance command, not a query a builder makes.
      await withClient(url.href, (client) => client.query('VACUUM (ANALYZE)'));
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: url.href, location: `${name} on ${server.description}`, release: () => server.stop() };
}

async function resolveServer(log: (line: string) => void): Promise<Server> {
  const config = loadAppConfig();
  if (config.DATABASE_URL) {
    const url = new URL(config.DATABASE_URL);
    return { url, description: `DATABASE_URL's server (${url.host})`, stop: async () => undefined };
  }
  const embedded = new URL(`postgres://postgres:postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/postgres`);
  const description = `the embedded PostgreSQL of npm start (${config.EMBEDDED_PG_DIR}, port ${config.EMBEDDED_PG_PORT})`;
  if (await answers(embedded.href)) return { url: embedded, description, stop: async () => undefined };
  log(`Starting the embedded PostgreSQL (${config.EMBEDDED_PG_DIR}, port ${config.EMBEDDED_PG_PORT})`);
  const running = await startEmbeddedPostgres({ dataDir: config.EMBEDDED_PG_DIR, port: config.EMBEDDED_PG_PORT });
  return { url: new URL(running.url), description, stop: () => running.stop() };
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The harness's connection for one check, closed after it. */
async function withDataSource<T>(url: string, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const stops: Stops = [];
  try {
    return await work(await connectHarness(url, stops));
  } finally {
    for (const stop of stops) await stop();
  }
}

/** Undefined when the schema is not there yet. */
function countVenues(url: string): Promise<number | undefined> {
  return withDataSource(url, async (dataSource) => {
    const runner = dataSource.createQueryRunner();
    try {
      if (!(await runner.hasTable('venues'))) return undefined;
    } finally {
      await runner.release();
    }
    const row = await dataSource.createQueryBuilder().select('count(*)::int', 'venues').from('venues', 'venue').getRawOne<{ venues: number }>();
    return row?.venues ?? 0;
  });
}

/**
 * A freshly loaded table has no visibility map and no hint bits: index-only scans read the heap
 * for every row and the first reads write every page. On `large`, discovery misses took 1.4–3.2×
 * as long before a VACUUM as after it (one scaling run each, issue 13). The seed ends with ANALYZE
 * only, and autovacuum may be off (it is on the machine's PostgreSQL here): the bench sees to it.
 */
function neverVacuumed(url: string): Promise<boolean> {
  return withDataSource(url, async (dataSource) => {
    const row = await dataSource
      .createQueryBuilder()
      .select('coalesce(stats.last_vacuum, stats.last_autovacuum) IS NULL', 'never')
      .from('pg_stat_user_tables', 'stats')
      .where('stats.relname = :table', { table: 'bookings' })
      .getRawOne<{ never: boolean }>();
    return row === undefined || row.never === true;
  });
}

/** The project's own seed CLI (migrations included), with its progress bar on this terminal. */
function seed(url: string, dataset: DatasetName): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SEED_CLI, '--scale', dataset], { env: { ...process.env, DATABASE_URL: url }, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding ${dataset} failed (seed CLI exit code ${code})`))));
  });
}
