import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { AppConfig, ConfigValidationError, environmentWithDotEnv, loadAppConfig } from './config/app-config';
import type { RunningPostgres } from './database/embedded-postgres';
import { seedDemoIfEmpty } from './seed/seed-on-start';
import { configureHttpApp } from './http/configure-http-app';
import { ProfilerAccess } from './profiling/profiler-access.guard';

const SHUTDOWN_GRACE_MS = 10_000;

async function resolveDatabase(config: AppConfig): Promise<RunningPostgres> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, stop: async () => undefined };
  console.log(`Starting embedded PostgreSQL (data in ${config.EMBEDDED_PG_DIR}, port ${config.EMBEDDED_PG_PORT})`);
  // Loaded only here: with DATABASE_URL (production, the Docker image) the package is never required.
  const { startEmbeddedPostgres } = await import('./database/embedded-postgres.js');
  return startEmbeddedPostgres({ dataDir: config.EMBEDDED_PG_DIR, port: config.EMBEDDED_PG_PORT });
}

/**
 * SIGTERM/SIGINT drain in-flight requests, then stop the embedded database. embedded-postgres
 * installs its own signal hooks that stop PostgreSQL at once, before requests drain; they are
 * replaced here so the order is always: stop accepting, drain, close the pool, stop PostgreSQL.
 */
function stopGracefullyOnSignals(app: NestExpressApplication, database: RunningPostgres): void {
  const shutdown = async (signal: NodeJS.Signals) => {
    console.log(`${signal} received: draining requests and shutting down`);
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    await app.close();
    await database.stop();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, (received) => void shutdown(received));
  }
}

function printBanner(config: AppConfig, demoSeeded: boolean, profilerAccess: ProfilerAccess): void {
  const base = `http://localhost:${config.PORT}`;
  const lines = [
    `Venues API listening on ${base}`,
    `  API        ${base}/v1 (e.g. ${base}/v1/cities)`,
    ...(config.docsEnabled ? [`  Docs       ${base}/docs (OpenAPI JSON at ${base}/docs-json)`] : []),
    `  Profiler   ${base}/_profiler`,
    `  Health     ${base}/health/ready`,
  ];
  if (profilerAccess.generated) lines.push(`  Profiler token (random per start; set PROFILER_TOKEN to fix it): ${profilerAccess.token}`);
  if (demoSeeded && !config.isProduction) {
    lines.push('  Demo logins: demo@example.com / demo-password (user), admin@example.com / admin-password (admin)');
  }
  console.log(lines.join('\n'));
}

async function bootstrap(): Promise<void> {
  const config = loadAppConfig(environmentWithDotEnv());
  const database = await resolveDatabase(config);
  config.DATABASE_URL = database.url;

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, bodyParser: false });
  configureHttpApp(app, config);
  stopGracefullyOnSignals(app, database);

  const demoSeeded = config.seedDemoOnEmpty ? await seedDemoIfEmpty(app.get(DataSource), config) : false;
  await app.listen(config.PORT, config.HOST);
  printBanner(config, demoSeeded, app.get(ProfilerAccess));
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
