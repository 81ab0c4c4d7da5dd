import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { levels } from 'pino';
import { AppConfig } from '../config/app-config';
import { RequestProfiler } from '../profiling/request-profiler';
import { requestIdFor } from '../request-context/request-id';

/**
 * pino-http writes the per-request line at info, and asks for its custom properties even when that
 * level is off, then stringifies them and builds a child logger for a line it drops: measurable on
 * a cache hit, with profiling on or off (docs/benchmarks.md, Profiling overhead).
 */
function requestLineWritten(level: string): boolean {
  return level in levels.values && levels.values[level] <= levels.values.info;
}

/** One JSON line per request (pino-http) with the profile summary; secrets redacted; pretty printing only on request. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          genReqId: requestIdFor,
          customProps: requestLineWritten(config.LOG_LEVEL) ? RequestProfiler.logSummary : undefined,
          redact: {
            paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-profiler-token"]', '*.password', '*.passwordHash'],
            censor: '[redacted]',
          },
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          transport: config.LOG_PRETTY ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
        },
      }),
    }),
  ],
})
export class LoggingModule {}
