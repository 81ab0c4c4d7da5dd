import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { ProblemException } from '../common/problem-details';
import { AccessTokens, InvalidAccessToken } from './access-tokens';
import { AUTHENTICATED } from './auth.decorators';
import { AuthenticatedUser, setAuthenticatedUser } from './authenticated-user';

const REALM = 'venues-api';
/** RFC 6750 §2.1: `Bearer` then a b64token. */
const BEARER_CREDENTIALS = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const BEARER_SCHEME = /^Bearer(\s|$)/i;

/** No credentials at all, as opposed to credentials that failed: RFC 6750 answers the two differently. */
class MissingAccessToken extends InvalidAccessToken {
  constructor() {
    super('No bearer access token was sent');
  }
}

interface RequestWithHeaders {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The global guard of opt-in auth. Routes marked @Authenticated() get 401 without a valid bearer
 * token, with the RFC 6750 challenge in WWW-Authenticate. Other routes never fail on a token, but a
 * valid one still names the caller, so a guard granting extra rights (the profiler's admin access)
 * can see who it is.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<RequestWithHeaders>();
    const required = this.reflector.getAllAndOverride<boolean | undefined>(AUTHENTICATED, [context.getHandler(), context.getClass()]);
    const authorization = request.headers.authorization;
    const header = typeof authorization === 'string' ? authorization : undefined;

    if (!required) {
      setAuthenticatedUser(request, header === undefined ? undefined : this.userOrUndefined(header));
      return true;
    }
    try {
      setAuthenticatedUser(request, this.authenticate(header));
      return true;
    } catch (error) {
      if (!(error instanceof InvalidAccessToken)) throw error;
      throw this.unauthorized(context, error);
    }
  }

  private authenticate(header: string | undefined): AuthenticatedUser {
    if (header === undefined || !BEARER_SCHEME.test(header)) throw new MissingAccessToken();
    const token = BEARER_CREDENTIALS.exec(header)?.[1];
    if (!token) throw new InvalidAccessToken('The Authorization header is not Bearer followed by a token');
    return this.tokens.verify(token);
  }

  private userOrUndefined(header: string): AuthenticatedUser | undefined {
    try {
      return this.authenticate(header);
    } catch (error) {
      if (error instanceof InvalidAccessToken) return undefined;
      throw error;
    }
  }

  /** RFC 6750 §3: no error code when no credentials were sent, `invalid_token` when they were and failed. */
  private unauthorized(context: ExecutionContext, error: InvalidAccessToken): ProblemException {
    const missing = error instanceof MissingAccessToken;
    const challenge = missing
      ? `Bearer realm="${REALM}"`
      : `Bearer realm="${REALM}", error="invalid_token", error_description="${error.message}"`;
    this.adapterHost.httpAdapter.setHeader(context.switchToHttp().getResponse(), 'WWW-Authenticate', challenge);
    return new ProblemException(HttpStatus.UNAUTHORIZED, {
      detail: missing ? 'This endpoint needs an access token: send Authorization: Bearer <token> (POST /v1/auth/login)' : error.message,
    });
  }
}

