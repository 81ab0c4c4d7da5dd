import type { Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { AppConfig, loadAppConfig } from '../../src/config/app-config';
import { configureHttpApp } from '../../src/http/configure-http-app';
import { ApiExpressAdapter } from '../../src/http/http-messages';
import { createTestDatabase, TestDatabase } from './test-database';

export const TEST_PROFILER_TOKEN = 'test-profiler-token-0123456789';

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
  /** Extra modules mounted beside AppModule (test-only controllers, never in the product). */
  imports?: Type[];
}

/**
 * Boots the real AppModule over HTTP on a private clone of the migrated template database, with
 * the same HTTP pipeline as production (configureHttpApp) and the profiler in strict mode
 * (an N+1 or a blown query budget fails the request).
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadAppConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PROFILER_STRICT: 'true',
    PROFILER_TOKEN: TEST_PROFILER_TOKEN,
    ...options.env,
    DATABASE_URL: database.url,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config), ...(options.imports ?? [])] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(new ApiExpressAdapter(), { logger: false, bodyParser: false });
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
