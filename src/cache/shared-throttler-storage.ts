import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { FixedWindowCounters, WindowCount } from './fixed-window-counters';
import { SharedCacheStore } from './shared-cache-store';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One hit, atomically: INCR, and the window's expiry set by the hit that opened it (PTTL < 0: the
 * key is new). One round trip; a Lua script rather than PEXPIRE NX, which needs Redis 7.
 */
const INCREMENT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local msLeft = redis.call('PTTL', KEYS[1])
if msLeft < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  msLeft = tonumber(ARGV[1])
end
return { hits, msLeft }`;

/** DECR keeps the key's expiry; a key that expired meanwhile is not recreated (it would never expire). */
const DECREMENT_SCRIPT = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0`;

/**
 * Attempt counters (@nestjs/throttler's storage, and the account limit's) that every instance
 * shares: fixed windows in Redis when REDIS_URL is set, under the deployment's namespace, through
 * the one Redis client of SharedCacheStore.
 *
 * Without REDIS_URL, and while Redis is unavailable or skipped by the circuit breaker, hits are
 * counted in this process's memory instead: each instance then limits on its own, so N instances
 * allow up to N times a limit. That is worse than a shared count and better than none, and a
 * login never fails because Redis is away. Counts do not move between the two stores.
 *
 * A window opens at a key's first hit and lasts `ttl`; from the (limit + 1)th hit the key is
 * blocked until the window ends, with Retry-After the time left of it. `blockDuration` is not
 * honoured beyond that (every limit here blocks for its window). A fixed window lets a burst
 * straddling two windows through at up to twice the limit, the usual price of one counter per key.
 */
@Injectable()
export class SharedThrottlerStorage implements ThrottlerStorage {
  private readonly inProcess = new FixedWindowCounters();

  constructor(private readonly shared: SharedCacheStore) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const counter = `${throttlerName}:${key}`;
    const window = (await this.incrementShared(counter, ttl)) ?? this.inProcess.increment(counter, ttl);
    const secondsLeft = Math.max(1, Math.ceil(window.msLeft / 1000));
    const isBlocked = window.hits > limit;
    return { totalHits: window.hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }

  /** Takes back one hit of `key`'s current window: an attempt that, once decided, does not count. */
  async decrement(key: string, throttlerName: string): Promise<void> {
    const counter = `${throttlerName}:${key}`;
    const done = await this.shared.run((client) => client.eval(DECREMENT_SCRIPT, { keys: [this.shared.key('limits', counter)] }));
    if (done === undefined) this.inProcess.decrement(counter);
  }

  private async incrementShared(counter: string, ttlMs: number): Promise<WindowCount | undefined> {
    const reply = await this.shared.run((client) =>
      client.eval(INCREMENT_SCRIPT, { keys: [this.shared.key('limits', counter)], arguments: [String(ttlMs)] }),
    );
    if (reply === undefined) return undefined;
    const [hits, msLeft] = reply as [number, number];
    return { hits, msLeft };
  }
}
