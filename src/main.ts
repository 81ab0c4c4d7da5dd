import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigValidationError, environmentWithDotEnv, loadAppConfig } from './config/app-config';
import { resolveDatabaseServer } from './database/database-server';
import type { RunningPostgres } from './database/embedded-postgres';
import { seedDemoIfEmpty } from './seed/seed-on-start';
import { createApiApp } from './http/create-api-app';
import { ProfilerAccess } from './profiling/profiler-access.guard';

const SHUTDOWN_GRACE_MS = 10_000;
/** The signals that stop the service. This file is their one owner: see stopGracefullyOnSignals. */
const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/**
 * Nest's close() hands its argument to the shutdown hooks as the signal: NestApplicationContext
 * (@nestjs/core) declares `close(signal?)`, the application interface only `close()`.
 */
type ClosableWithSignal = { close(signal?: string): Promise<void> };

/** What start-up has brought up so far; a signal stops it in reverse order. */
interface Running {
  database?: RunningPostgres;
  app?: NestExpressApplication;
}

/**
 * Runs `start`, then removes the listeners for the shutdown signals it added: the embedded-postgres
 * package installs hooks (async-exit-hook) that stop PostgreSQL the moment a signal arrives, before
 * requests drain. Its 'exit' hook stays, so the server is still stopped if the process exits any
 * other way.
 */
async function withoutSignalListenersAddedBy<T>(start: () => Promise<T>): Promise<T> {
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  try {
    return await start();
  } finally {
    for (const [signal, listeners] of before) {
      for (const listener of process.listeners(signal)) if (!listeners.has(listener)) process.removeListener(signal, listener);
    }
  }
}

/**
 * Stops accepting connections and resolves once the requests in flight have been answered. Done
 * before Nest's own shutdown, whose onModuleDestroy hooks (the cache module disconnects its
 * stores) run before Nest closes the HTTP server.
 */
function drainHttpServer(app: NestExpressApplication): Promise<void> {
  return new Promise((resolve) => app.getHttpServer().close(() => resolve()));
}

/**
 * SIGTERM, SIGINT and SIGHUP: drain the requests in flight, run every Nest shutdown hook with the
 * signal (onModuleDestroy, beforeApplicationShutdown, onApplicationShutdown: the LISTEN
 * connection, Redis, the pool last), stop the embedded PostgreSQL when this process started it,
 * exit 0. A shutdown that takes longer than SHUTDOWN_GRACE_MS exits 1. Installed before anything
 * starts, so a signal during start-up stops what is already running.
 */
function stopGracefullyOnSignals(running: Running): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    logger.log(`${signal} received: draining in-flight requests, then shutting down`);
    setTimeout(() => {
      logger.error(`still shutting down after ${SHUTDOWN_GRACE_MS} ms: exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    if (running.app) {
      await drainHttpServer(running.app);
      await (running.app as ClosableWithSignal).close(signal);
    }
    await running.database?.stop();
    logger.log('shut down');
    process.exit(0);
  };
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, (received: NodeJS.Signals) => {
      // One shutdown sequence; the grace timer bounds it however many signals follow.
      if (stopping) return;
      stopping = true;
      stop(received).catch((error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.stack : String(error)}`);
        process.exit(1);
      });
    });
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
  const running: Running = {};
  stopGracefullyOnSignals(running);
  running.database = await withoutSignalListenersAddedBy(() => resolveDatabaseServer(config, (line) => console.log(line)));
  config.DATABASE_URL = running.database.url;

  const app = await createApiApp(config);
  running.app = app;

  const demoSeeded = config.seedDemoOnEmpty ? await seedDemoIfEmpty(app.get(DataSource), config) : false;
  await app.listen(config.PORT, config.HOST);
  printBanner(config, demoSeeded, app.get(ProfilerAccess));
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
