import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { instrumentPool, ProfiledClient } from '../profiling/instrumented-pg';
import { buildDataSourceOptions } from './data-source-options';
import { DatabasePoolCloser } from './database-pool-closer';
import { migrate } from './migrate';
import { ReadReplicas } from './read-replicas';
import { ReferenceChangeListener } from './reference-change-listener';
import { UnitOfWork } from './unit-of-work';

/** Pending migrations run before the DataSource reaches anything that reads the schema (never `synchronize`). */
async function connectAndMigrate(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  try {
    const ran = await migrate(dataSource);
    if (ran.length > 0) new Logger('Database').log(`ran ${ran.length} migration(s): ${ran.join(', ')}`);
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

/** TypeORM on `pg`, migrated at start-up (see connectAndMigrate); the unit of work repositories share. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        if (!config.DATABASE_URL) throw new Error('DATABASE_URL must be resolved before the app module starts');
        return {
          ...buildDataSourceOptions({
            url: config.DATABASE_URL,
            poolSize: config.DB_POOL_SIZE,
            connectionTimeoutMs: config.DB_CONNECTION_TIMEOUT_MS,
            poolExtras: config.PROFILER_ENABLED ? { Client: ProfiledClient } : {},
          }),
          // Each feature module registers its own entities (TypeOrmModule.forFeature); a test checks they cover every table.
          autoLoadEntities: true,
          retryAttempts: 0,
        };
      },
      dataSourceFactory: (options) => connectAndMigrate(options!),
      extraProviders: [DatabasePoolCloser],
    }),
  ],
  providers: [
    ReferenceChangeListener,
    UnitOfWork,
    {
      provide: ReadReplicas,
      inject: [AppConfig, DataSource],
      useFactory: (config: AppConfig, primary: DataSource) =>
        ReadReplicas.connect(primary, config.databaseReplicaUrls, config.DATABASE_REPLICA_MAX_LAG_MS, config.PROFILER_ENABLED ? instrumentPool : undefined),
    },
  ],
  exports: [ReferenceChangeListener, UnitOfWork, ReadReplicas],
})
export class DatabaseModule {}
