import { applyDecorators, createParamDecorator, ExecutionContext, Header, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblemResponse } from '../common/problem-details.dto';
import { AuthenticatedUser, authenticatedUserOf } from './authenticated-user';

export const AUTHENTICATED = 'auth:authenticated';

/** What a response computed for one user carries: no cache, shared or private, may keep it. */
export const USER_SPECIFIC_CACHE_CONTROL = 'private, no-store';

/**
 * Marks a route that needs a signed-in user: the global AuthenticationGuard answers 401 without a
 * valid bearer token. Its responses are about that user, so they are never cached.
 */
export function Authenticated(): MethodDecorator {
  return applyDecorators(
    SetMetadata(AUTHENTICATED, true),
    Header('Cache-Control', USER_SPECIFIC_CACHE_CONTROL),
    ApiBearerAuth(),
    ApiProblemResponse(401, 'Missing, malformed, tampered, expired or foreign access token (WWW-Authenticate: Bearer says which)'),
  );
}

/** The signed-in user of an @Authenticated() route. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedUser => {
  const user = authenticatedUserOf(context.switchToHttp().getRequest());
  if (!user) throw new Error('@CurrentUser() used on a route without @Authenticated()');
  return user;
});
