import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ProblemException } from '../common/problem-details';
import { authenticatedUserOf } from '../auth/authenticated-user';

export const PROFILER_TOKEN_HEADER = 'x-profiler-token';

/**
 * Who may read recorded profiles: holders of PROFILER_TOKEN. Outside production an unset token
 * is replaced by a random one per start (printed at start-up), so profiles are never open.
 */
@Injectable()
export class ProfilerAccess {
  readonly token: string | undefined;
  readonly generated: boolean;

  constructor(config: AppConfig) {
    this.generated = !config.PROFILER_TOKEN && !config.isProduction;
    this.token = config.PROFILER_TOKEN ?? (this.generated ? randomBytes(18).toString('base64url') : undefined);
  }

  accepts(candidate: string | undefined): boolean {
    if (!this.token || !candidate) return false;
    const expected = Buffer.from(this.token);
    const given = Buffer.from(candidate);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

@Injectable()
export class ProfilerAccessGuard implements CanActivate {
  constructor(private readonly access: ProfilerAccess) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const header = request.headers[PROFILER_TOKEN_HEADER];
    if (this.access.accepts(typeof header === 'string' ? header : undefined)) return true;
    // The global AuthenticationGuard runs first and names the caller of a valid bearer token.
    if (authenticatedUserOf(request)?.role === 'admin') return true;
    throw new ProblemException(HttpStatus.UNAUTHORIZED, {
      detail: `Profiles are readable with the ${PROFILER_TOKEN_HEADER} header (PROFILER_TOKEN) or an admin's bearer token`,
    });
  }
}
