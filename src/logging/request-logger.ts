import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { RequestProfiler } from '../profiling/request-profiler';
import { AppLogger } from './app-logger';

type LoggedRequest = IncomingMessage & { id?: string; originalUrl?: string };

/**
 * One line per request when it finishes: `request completed` at info, `request errored` at error
 * for a 5xx, with the request id, method, URL, status, time and the profile summary. A line the
 * level drops costs one level check: nothing is built for it, and no logger is made per request.
 */
@Injectable()
export class RequestLogger {
  constructor(private readonly logger: AppLogger) {}

  /** Placed after the profiler's `open`, which gives the request its id. */
  readonly middleware = (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    if (!this.logger.root.isLevelEnabled('error')) return next();
    const startedAt = performance.now();
    response.on('finish', () => this.write(request as LoggedRequest, response, performance.now() - startedAt));
    next();
  };

  private write(request: LoggedRequest, response: ServerResponse, elapsedMs: number): void {
    const failed = response.statusCode >= 500;
    const level = failed ? 'error' : 'info';
    if (!this.logger.root.isLevelEnabled(level)) return;
    this.logger.root[level](
      {
        req: { id: request.id, method: request.method, url: request.originalUrl ?? request.url },
        res: { statusCode: response.statusCode },
        responseTime: Math.round(elapsedMs),
        ...RequestProfiler.logSummary(request),
      },
      failed ? 'request errored' : 'request completed',
    );
  }
}
