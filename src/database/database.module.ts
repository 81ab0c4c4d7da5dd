import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { ProfiledClient } from '../profiling/instrumented-pg';
import { buildDataSourceOptions } from './data-source-options';
import { ReferenceChangeListener } from './reference-change-listener';
import { UnitOfWork } from './unit-of-work';

/** TypeORM on `pg`; pending migrations run at start-up (never `synchronize`); the unit of work repositories share. */
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
          migrationsRun: true,
          retryAttempts: 0,
        };
      },
    }),
  ],
  providers: [ReferenceChangeListener, UnitOfWork],
  exports: [ReferenceChangeListener, UnitOfWork],
})
export class DatabaseModule {}
