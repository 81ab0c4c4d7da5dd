import type { DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { migrations } from './migrations';

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
      ...settings.poolExtras,
    },
  };
}
