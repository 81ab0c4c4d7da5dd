import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { RequestProfiler } from '../profiling/request-profiler';
import { requestIdFor } from '../request-context/request-id';

/** One JSON line per request (pino-http) with the profile summary; secrets redacted; pretty printing only on request. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          genReqId: requestIdFor,
          customProps: RequestProfiler.logSummary,
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
