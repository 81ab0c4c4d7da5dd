import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, ProblemException, statusTitle } from './problem-details';

interface RequestWithId {
  id?: string | number;
}

/** SQLSTATE classes and socket errors that mean "the database is unreachable", not "the query is wrong". */
const DATABASE_UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const DATABASE_UNAVAILABLE_MESSAGES = [/timeout exceeded when trying to connect/i, /Connection terminated/i];

/** Duck-typed: socket errors come from Node's own realm, where `instanceof Error` can fail. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, driverError } = error as { code?: string; message?: string; driverError?: { code?: string } };
  const errorCode = code ?? driverError?.code;
  if (errorCode && DATABASE_UNAVAILABLE_CODES.has(errorCode)) return true;
  return DATABASE_UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message ?? ''));
}

/** Errors raised by Express' body parser before routing (malformed JSON, oversized body). */
function bodyParserStatus(error: unknown): number | undefined {
  const type = (error as { type?: string } | undefined)?.type;
  if (type === 'entity.too.large') return HttpStatus.PAYLOAD_TOO_LARGE;
  if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return HttpStatus.BAD_REQUEST;
  }
  return undefined;
}

/**
 * Maps every error to an RFC 9457 problem body. Nothing internal leaves the process: unknown
 * errors become a 500 carrying only the request id, and are logged here with their stack.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<RequestWithId>();
    const response = http.getResponse();
    const requestId = request.id === undefined ? undefined : String(request.id);
    const problem = this.toProblem(exception, requestId);

    const adapter = this.adapterHost.httpAdapter;
    adapter.setHeader(response, 'Content-Type', PROBLEM_CONTENT_TYPE);
    const retryAfter = exception instanceof ProblemException ? exception.retryAfterSeconds : undefined;
    if (retryAfter !== undefined) adapter.setHeader(response, 'Retry-After', String(retryAfter));
    else if (problem.status === HttpStatus.SERVICE_UNAVAILABLE) adapter.setHeader(response, 'Retry-After', '5');
    adapter.reply(response, problem, problem.status);
  }

  private toProblem(exception: unknown, requestId: string | undefined): ProblemDetails {
    // Nest's Express adapter wraps body-parser errors in an HttpException; the parser's own
    // wording is replaced by a stable one.
    const parserStatus = bodyParserStatus((exception as { cause?: unknown })?.cause ?? exception);
    if (parserStatus) {
      const detail = parserStatus === HttpStatus.PAYLOAD_TOO_LARGE ? 'Request body is too large' : 'Request body is not valid JSON';
      return { type: 'about:blank', title: statusTitle(parserStatus), status: parserStatus, detail };
    }
    if (exception instanceof ProblemException) {
      const status = exception.getStatus();
      const { type, title, ...rest } = exception.problem;
      return { type: type ?? 'about:blank', title: title ?? statusTitle(status), status, ...rest, ...(status >= 500 && { requestId }) };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { type: 'about:blank', title: statusTitle(status), status, detail: this.httpExceptionDetail(exception) };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.error(`database unavailable: ${String((exception as { message?: unknown }).message)}`);
      const status = HttpStatus.SERVICE_UNAVAILABLE;
      return { type: 'about:blank', title: statusTitle(status), status, detail: 'The database is unavailable; retry shortly', requestId };
    }
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    const status = HttpStatus.INTERNAL_SERVER_ERROR;
    return { type: 'about:blank', title: statusTitle(status), status, detail: 'An unexpected error occurred', requestId };
  }

  private httpExceptionDetail(exception: HttpException): string {
    const body = exception.getResponse();
    if (typeof body === 'string') return body;
    const message = (body as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' ? message : exception.message;
  }
}
