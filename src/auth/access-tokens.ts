import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { AuthenticatedUser, USER_ROLES, UserRole } from './authenticated-user';

/** The only algorithm accepted: pinned so a token cannot pick `none` or another key type. */
export const ACCESS_TOKEN_ALGORITHM = 'HS256';

interface AccessTokenClaims {
  sub: string;
  role: UserRole;
  exp: number;
}

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
}

/** Why a token was refused; the text goes into `error_description` of WWW-Authenticate. */
export class InvalidAccessToken extends Error {}

/**
 * Signs and verifies access tokens: HS256 JWTs carrying the user id (`sub`) and role, with the
 * configured issuer and expiry. The role is in the token so authorization needs no statement.
 */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  issue(user: AuthenticatedUser): IssuedAccessToken {
    const accessToken = this.jwt.sign({ sub: String(user.id), role: user.role }, {
      algorithm: ACCESS_TOKEN_ALGORITHM,
      issuer: this.config.JWT_ISSUER,
      expiresIn: this.config.JWT_EXPIRES_IN_S,
    });
    return { accessToken, expiresIn: this.config.JWT_EXPIRES_IN_S };
  }

  /** The user a token names; throws InvalidAccessToken for any token this service did not issue or that has expired. */
  verify(token: string): AuthenticatedUser {
    let claims: Partial<AccessTokenClaims>;
    try {
      claims = this.jwt.verify<Partial<AccessTokenClaims>>(token, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer: this.config.JWT_ISSUER,
      });
    } catch (error) {
      throw new InvalidAccessToken((error as Error).name === 'TokenExpiredError' ? 'The access token expired' : 'The access token is invalid');
    }
    const id = Number(claims.sub);
    // jsonwebtoken checks `exp` only when present; a token without one would never expire.
    if (typeof claims.exp !== 'number' || !Number.isSafeInteger(id) || id < 1 || !USER_ROLES.includes(claims.role as UserRole)) {
      throw new InvalidAccessToken('The access token is invalid');
    }
    return { id, role: claims.role as UserRole };
  }
}
