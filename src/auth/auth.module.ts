import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { AccessTokens } from './access-tokens';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { AuthenticationGuard } from './authentication.guard';
import { PasswordHasher } from './password-hasher';
import { User } from './entities/user.entity';

const LOGIN_RATE_WINDOW_MS = 60_000;

/**
 * Production refuses to boot without JWT_SECRET (see AppConfig); elsewhere a random key keeps a
 * fresh checkout running. Handed to jsonwebtoken as a KeyObject: given a string it rebuilds the
 * key on every call, measured at ~400 µs per verification against ~10 µs.
 */
function signingKey(config: AppConfig): KeyObject {
  if (config.JWT_SECRET) return createSecretKey(Buffer.from(config.JWT_SECRET));
  new Logger('Auth').warn('JWT_SECRET is unset: signing tokens with a random key, so they stop working when the process restarts');
  return createSecretKey(randomBytes(32));
}

/**
 * Register, login and access tokens, plus the global guard of opt-in auth (@Authenticated()).
 * The throttler (a global module) has one limit, the login one; only the login route uses its guard.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([User]),
    JwtModule.registerAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => ({ secret: signingKey(config) }) }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ ttl: LOGIN_RATE_WINDOW_MS, limit: config.LOGIN_RATE_LIMIT }],
        errorMessage: 'Too many login attempts from this address; retry after the number of seconds in Retry-After',
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, AuthRepository, AccessTokens, PasswordHasher, { provide: APP_GUARD, useClass: AuthenticationGuard }],
})
export class AuthModule {}
