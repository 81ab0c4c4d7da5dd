import type { ServerResponse } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config';
import { AppLogger } from '../logging/app-logger';
import { RequestLogger } from '../logging/request-logger';
import { RequestProfiler } from '../profiling/request-profiler';

export function buildOpenApiDocument(app: NestExpressApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Venues API')
    .setDescription('Venue marketplace: discovery, venue detail, bookings; every /v1 response carries profiling headers.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Everything that touches the HTTP adapter lives here, so feature modules never depend on
 * Express; a Fastify adapter would get its own twin of this function and nothing else.
 * Used by main.ts and by the e2e tests, so tests run the same HTTP pipeline as production.
 */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig): OpenAPIObject {
  app.useLogger(app.get(AppLogger));
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false);
  // The app is created with bodyParser: false so the order is explicit: give the request its id
  // and open its profile, log it when it finishes, parse JSON (the only body type the API
  // accepts), then enter the request's context.
  const profiler = app.get(RequestProfiler);
  const express: { response: ServerResponse } = app.getHttpAdapter().getInstance();
  profiler.writeHeadersThrough(express.response);
  profiler.markRepliesThrough(app.getHttpAdapter());
  app.use(profiler.open);
  app.use(app.get(RequestLogger).middleware);
  app.useBodyParser('json', { limit: config.BODY_LIMIT });
  app.use(profiler.enter);

  // Built in every environment (the tests validate responses against it); served only where enabled.
  const document = buildOpenApiDocument(app);
  if (config.docsEnabled) SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return document;
}
