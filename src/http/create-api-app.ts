import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../app.module';
import { restoreFastStringPrototype } from '../common/fast-string-prototype';
import type { AppConfig } from '../config/app-config';
import { configureHttpApp } from './configure-http-app';
import { ApiExpressAdapter } from './http-messages';

/**
 * The API as `npm start` serves it, not yet listening: the app module on the project's Express
 * adapter (no body parser of Nest's: configureHttpApp orders its own) with its HTTP pipeline.
 */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  restoreFastStringPrototype();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), new ApiExpressAdapter(), { bufferLogs: true, bodyParser: false });
  configureHttpApp(app, config);
  return app;
}
