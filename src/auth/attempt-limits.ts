import { createHash } from 'node:crypto';
import { applyDecorators, HttpStatus, Injectable, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard, ThrottlerOptions, ThrottlerRequest } from '@nestjs/throttler';
import { SharedThrottlerStorage } from '../cache/shared-throttler-storage';
import { ProblemException } from '../common/problem-details';
import { AppConfig } from '../config/app-config';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * The attempt limits of auth (SPEC §11). Each one answers 429 with Retry-After and a problem
 * naming it; the counters are shared by every instance through Redis (see SharedThrottlerStorage).
 */
export const LOGIN_PER_ADDRESS = 'login-per-address';
export const LOGIN_PER_ACCOUNT = 'login-per-account';
export const REGISTRATION_PER_ADDRESS = 'registration-per-address';

type AddressLimit = typeof LOGIN_PER_ADDRESS | typeof REGISTRATION_PER_ADDRESS;
type AttemptLimit = AddressLimit | typeof LOGIN_PER_ACCOUNT;

const ADDRESS_LIMITS: readonly AddressLimit[] = [LOGIN_PER_ADDRESS, REGISTRATION_PER_ADDRESS];

/** The per-account problem reads the same whether an account has the email or not. */
const LIMIT_PROBLEMS: Record<AttemptLimit, { type: string; title: string; detail: string }> = {
  [LOGIN_PER_ADDRESS]: {
    type: '/problems/too-many-login-attempts',
    title: 'Too many login attempts',
    detail: 'Too many login attempts from this client address',
  },
  [LOGIN_PER_ACCOUNT]: {
    type: '/problems/too-many-failed-logins',
    title: 'Too many failed login attempts',
    detail: 'Too many failed login attempts for this email address, from any client',
  },
  [REGISTRATION_PER_ADDRESS]: {
    type: '/problems/too-many-registrations',
    title: 'Too many registrations',
    detail: 'Too many registrations from this client address',
  },
};

function tooManyAttempts(limit: AttemptLimit, retryAfterSeconds: number): ProblemException {
  const { detail, ...problem } = LIMIT_PROBLEMS[limit];
  return new ProblemException(HttpStatus.TOO_MANY_REQUESTS, { ...problem, detail: `${detail}; retry after ${retryAfterSeconds} s` }, retryAfterSeconds);
}

/** The per-address limits, as @nestjs/throttler's named throttlers. */
export function addressLimits(config: AppConfig): ThrottlerOptions[] {
  return [
    { name: LOGIN_PER_ADDRESS, ttl: MINUTE_MS, limit: config.LOGIN_RATE_LIMIT },
    { name: REGISTRATION_PER_ADDRESS, ttl: HOUR_MS, limit: config.REGISTER_RATE_LIMIT },
  ];
}

/**
 * ThrottlerGuard as it is, keyed on the client address (Express's req.ip, which follows
 * TRUST_PROXY; IPv6 addresses grouped by /64), except for what a limit hit answers: the limit's
 * own problem with Retry-After, where ThrottlerException would name the header
 * Retry-After-<limit> for a named throttler and say nothing of which limit it was.
 */
@Injectable()
export class AddressLimitGuard extends ThrottlerGuard {
  protected async handleRequest({ context, limit, ttl, throttler, blockDuration, getTracker, generateKey }: ThrottlerRequest): Promise<boolean> {
    const name = throttler.name as AddressLimit;
    const key = generateKey(context, await getTracker(this.getRequestResponse(context).req, context), name);
    const { isBlocked, timeToBlockExpire } = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    if (isBlocked) throw tooManyAttempts(name, timeToBlockExpire);
    return true;
  }
}

/** Counts every request to the route against `limit` (and no other address limit) before it runs. */
export function LimitedPerAddress(limit: AddressLimit): MethodDecorator & ClassDecorator {
  const others = ADDRESS_LIMITS.filter((name) => name !== limit);
  return applyDecorators(UseGuards(AddressLimitGuard), SkipThrottle(Object.fromEntries(others.map((name) => [name, true]))));
}

/**
 * Failed login attempts per account, from any number of addresses: what slows credential stuffing
 * spread over many addresses. The account is the email as sent, trimmed and lower-cased, whether
 * or not a user has it (so a 429 tells nothing about which emails exist), and only its hash is
 * stored. An attempt is counted before the password is checked and given back when it was right:
 * concurrent guesses cannot overrun the limit, and an owner's successful logins never count. The
 * price of any per-account limit: while someone spends it on an account, the owner is refused
 * too, until the minute ends (a window, never a lock that grows).
 */
@Injectable()
export class AccountLoginLimit {
  constructor(
    private readonly counters: SharedThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  /** Counts a login attempt on `email`; 429 once the account's failures this minute reach the limit. */
  async countAttempt(email: string): Promise<void> {
    const { isBlocked, timeToBlockExpire } = await this.counters.increment(accountKey(email), MINUTE_MS, this.config.LOGIN_ACCOUNT_RATE_LIMIT, MINUTE_MS, LOGIN_PER_ACCOUNT);
    if (isBlocked) throw tooManyAttempts(LOGIN_PER_ACCOUNT, timeToBlockExpire);
  }

  /** The attempt counted for `email` succeeded: it is not a failure, so it is given back. */
  succeeded(email: string): Promise<void> {
    return this.counters.decrement(accountKey(email), LOGIN_PER_ACCOUNT);
  }
}

function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
}
