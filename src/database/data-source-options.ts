import type { DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { migrations } from './migrations';

/**
 * Every statement of this API reads a page's worth of rows; starting parallel workers costs
 * more than they save (a Gather Merge started after 21 ms in the plan of one discovery page
 * on `large`, and PostgreSQL chose one for bounded counts whose LIMIT it could not see past).
 * A start-up parameter, so no round trip is spent on it.
 */
export const SESSION_STARTUP_OPTIONS = '-c max_parallel_workers_per_gather=0';

export interface DataSourceSettings {
  url: string;
  poolSize: number;
  connectionTimeoutMs: number;
  /** Extra node-postgres pool options (the profiling subsystem passes its instrumented Client here). */
  poolExtras?: Record<string, unknown>;
  /** Outside Nest (migration CLI, tests): every entity of the app; the app itself collects them from TypeOrmModule.forFeature. */
  entities?: MixedList<Function | string | EntitySchema>;
}

/** The one TypeORM configuration shared by the app, the migration CLI (ormconfig.ts), the seed and the tests. */
export function buildDataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: settings.entities ?? [],
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: settings.poolSize,
      connectionTimeoutMillis: settings.connectionTimeoutMs,
      idleTimeoutMillis: 30_000,
      application_name: 'venues-api',
      options: SESSION_STARTUP_OPTIONS,
      ...settings.poolExtras,
    },
  };
}
