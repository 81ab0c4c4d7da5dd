import type { LoggerService } from '@nestjs/common';
import pino, { type Level, type Logger, type LoggerOptions } from 'pino';
import type { AppConfig } from '../config/app-config';
import { currentRequestContext } from '../request-context/request-context';

/** Nest's levels, as pino names them. */
type NestLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
const PINO_LEVEL: Record<NestLevel, Level> = { log: 'info', error: 'error', warn: 'warn', debug: 'debug', verbose: 'trace', fatal: 'fatal' };

/** A Nest stack trace argument (Logger.error(message, stack, context)). */
const STACK_TRACE = /\n\s+at /;

/**
 * The process's one pino logger: JSON lines on stdout (pretty only with LOG_PRETTY), passwords
 * redacted, and every line written while a request runs carries that request's id, read from the
 * request context the request already travels in (no second AsyncLocalStorage, no logger per request).
 */
export function createRootLogger(config: Pick<AppConfig, 'LOG_LEVEL' | 'LOG_PRETTY'>): Logger {
  return pino(rootLoggerOptions(config));
}

export function rootLoggerOptions(config: Pick<AppConfig, 'LOG_LEVEL' | 'LOG_PRETTY'>): LoggerOptions {
  return {
    level: config.LOG_LEVEL,
    redact: { paths: ['password', 'passwordHash', '*.password', '*.passwordHash'], censor: '[redacted]' },
    mixin: () => {
      const requestId = currentRequestContext()?.requestId;
      return requestId === undefined ? {} : { req: { id: requestId } };
    },
    transport: config.LOG_PRETTY ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  };
}

/**
 * Nest's LoggerService on the root pino logger. Nest passes the logger's context (its class name)
 * as the last argument, and an error's stack before it; an object message is merged into the
 * line, an Error becomes its `err`.
 */
export class AppLogger implements LoggerService {
  constructor(readonly root: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(nestLevel: NestLevel, message: unknown, params: unknown[]): void {
    const level = PINO_LEVEL[nestLevel];
    if (!this.root.isLevelEnabled(level)) return;
    const line: Record<string, unknown> = {};
    const last = params[params.length - 1];
    if (typeof last === 'string' && !STACK_TRACE.test(last)) line.context = last;
    const stack = params.find((param): param is string => typeof param === 'string' && STACK_TRACE.test(param));
    if (message instanceof Error) {
      line.err = message;
      this.root[level](line, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.root[level]({ ...line, ...message });
    } else {
      if (stack !== undefined) line.err = { message: String(message), stack };
      this.root[level](line, String(message));
    }
  }
}
