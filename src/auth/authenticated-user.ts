export type UserRole = 'user' | 'host' | 'admin';

export const USER_ROLES: readonly UserRole[] = ['user', 'host', 'admin'];

/** Who is calling, as the access token says: enough to authorize without a database statement. */
export interface AuthenticatedUser {
  id: number;
  role: UserRole;
}

interface RequestWithUser {
  user?: AuthenticatedUser;
}

/** The caller the global AuthenticationGuard identified on this request, if any. */
export function authenticatedUserOf(request: object): AuthenticatedUser | undefined {
  return (request as RequestWithUser).user;
}

export function setAuthenticatedUser(request: object, user: AuthenticatedUser | undefined): void {
  (request as RequestWithUser).user = user;
}
