import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

export interface ParameterError {
  parameter: string;
  message: string;
}

/** RFC 9457 problem details, the body of every error response. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: ParameterError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * An HTTP error carrying a full problem body. `type` is a URI reference under /problems/ that
 * names the kind of problem; plain HTTP errors use `about:blank` as RFC 9457 recommends.
 * `retryAfterSeconds` becomes the Retry-After header (429: when the limit lets the client in again).
 */
export class ProblemException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly problem: { type?: string; title?: string; detail: string; errors?: ParameterError[]; [key: string]: unknown },
    readonly retryAfterSeconds?: number,
  ) {
    super(problem.detail, status);
  }

  static validation(errors: ParameterError[]): ProblemException {
    const names = [...new Set(errors.map((error) => error.parameter))].join(', ');
    return new ProblemException(HttpStatus.BAD_REQUEST, {
      type: '/problems/validation-error',
      title: 'Invalid request parameters',
      detail: `Invalid value for: ${names}`,
      errors,
    });
  }
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
