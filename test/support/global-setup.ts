import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { RunningPostgres, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { createDatabaseIfMissing, dropDatabaseIfExists } from '../../src/database/postgres-admin';
import { adminUrlOf, TEMPLATE_DATABASE, databaseUrl } from './test-database';

declare global {
  // eslint-disable-next-line no-var
  var __TEST_POSTGRES__: RunningPostgres | undefined;
}

/**
 * Starts one PostgreSQL for the whole run (embedded unless DATABASE_URL is given), migrates a
 * template database once, and hands the server URL to the workers, which clone it per test file.
 */
export default async function globalSetup(): Promise<void> {
  const server = process.env.DATABASE_URL ? undefined : await startThrowawayCluster();
  const serverUrl = server?.url ?? process.env.DATABASE_URL!;
  globalThis.__TEST_POSTGRES__ = server;
  process.env.TEST_DATABASE_SERVER_URL = serverUrl;

  const adminUrl = adminUrlOf(serverUrl);
  await dropDatabaseIfExists(adminUrl, TEMPLATE_DATABASE);
  await createDatabaseIfMissing(adminUrl, TEMPLATE_DATABASE);
  const template = new DataSource(
    buildDataSourceOptions({ url: databaseUrl(serverUrl, TEMPLATE_DATABASE), poolSize: 1, connectionTimeoutMs: 5000 }),
  );
  await template.initialize();
  await template.runMigrations();
  await template.destroy();
}

async function startThrowawayCluster(): Promise<RunningPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'venues-test-pg-'));
  // The cluster runs as the `postgres` user when the tests run as root.
  await chmod(dir, 0o777);
  const port = 20000 + Math.floor(Math.random() * 20000);
  return startEmbeddedPostgres({ dataDir: join(dir, 'data'), port, durable: false });
}
