import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadAppConfig } from '../src/config/app-config';
import { createApiApp } from '../src/http/create-api-app';

/**
 * The profiling overhead's two sides in one process: the API with profiling on at PORT, and the
 * API with profiling off at PROFILING_OFF_PORT, each a whole app as `npm start` builds it
 * (createApiApp), from the same environment but PROFILER_ENABLED. Two processes of one
 * build differ in speed by more than the 5% measured, for their whole life; two apps in one process
 * share that luck, so the rounds compare profiling and little else (docs/benchmarks.md).
 */
async function startApp(profiling: boolean, port: string | undefined): Promise<NestExpressApplication> {
  const config = loadAppConfig({ ...process.env, PROFILER_ENABLED: String(profiling), PORT: port });
  const app = await createApiApp(config);
  await app.listen(config.PORT, config.HOST);
  return app;
}

async function main(): Promise<void> {
  const off = await startApp(false, process.env.PROFILING_OFF_PORT);
  // The bench waits for the app at PORT: started last, it answers once both do.
  const on = await startApp(true, process.env.PORT);
  process.once('SIGTERM', () => {
    Promise.all([on.close(), off.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
