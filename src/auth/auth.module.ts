import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { SharedThrottlerStorage } from '../cache/shared-throttler-storage';
import { AppConfig } from '../config/app-config';
import { AccessTokens } from './access-tokens';
import { AccountLoginLimit, addressLimits } from './attempt-limits';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { AuthenticationGuard } from './authentication.guard';
import { PasswordHasher } from './password-hasher';
import { User } from './entities/user.entity';

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
 * The throttler (a global module) holds the per-address limits, each route picking its own
 * (@LimitedPerAddress); the per-account login limit is counted by the service, which alone knows
 * whether an attempt failed. All count in the shared store (see attempt-limits.ts).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([User]),
    JwtModule.registerAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => ({ secret: signingKey(config) }) }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, SharedThrottlerStorage],
      useFactory: (config: AppConfig, storage: SharedThrottlerStorage) => ({ throttlers: addressLimits(config), storage }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, AuthRepository, AccessTokens, PasswordHasher, AccountLoginLimit, { provide: APP_GUARD, useClass: AuthenticationGuard }],
})
export class AuthModule {}
