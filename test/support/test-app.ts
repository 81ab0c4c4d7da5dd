import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { AppConfig, loadAppConfig } from '../../src/config/app-config';
import { configureHttpApp } from '../../src/http/configure-http-app';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  http: TestAgent;
  dataSource: DataSource;
  config: AppConfig;
  openApi: OpenAPIObject;
  database: TestDatabase;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment overrides for this app instance (same names as .env.example). */
  env?: Record<string, string>;
  /** Reuse an existing test database (e.g. two app instances sharing one database). */
  database?: TestDatabase;
}

/**
 * Boots the real AppModule over HTTP on a private clone of the migrated template database, with
 * the same HTTP pipeline as production (configureHttpApp) and the profiler in strict mode.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadAppConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ...options.env,
    DATABASE_URL: database.url,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  const openApi = configureHttpApp(app, config);
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    dataSource: app.get(DataSource),
    config,
    openApi,
    database,
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}
