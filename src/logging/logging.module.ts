import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AppLogger, createRootLogger } from './app-logger';
import { RequestLogger } from './request-logger';

/**
 * JSON log lines through pino: Nest's logger (AppLogger) and one line per request (RequestLogger).
 * pino-http and nestjs-pino did this before with a child logger and a second AsyncLocalStorage per
 * request, even for lines the level dropped: a quarter of a cache hit's CPU (docs/benchmarks.md).
 */
@Global()
@Module({
  providers: [{ provide: AppLogger, inject: [AppConfig], useFactory: (config: AppConfig) => new AppLogger(createRootLogger(config)) }, RequestLogger],
  exports: [AppLogger, RequestLogger],
})
export class LoggingModule {}
