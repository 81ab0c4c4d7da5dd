import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { createHash, randomUUID } from 'node:crypto';
import type { WalPosition } from '../database/wal-position';

/** A serialized discovery response as cached and sent: the exact bytes and their strong ETag. */
export interface CachedResponse {
  body: string;
  etag: string;
}

export interface CacheLookup {
  response: CachedResponse;
  /** false for the one request that computed the response; true for everyone served from the cache or from that computation. */
  hit: boolean;
}

/**
 * Versions outlive the responses keyed by them many times over. If one is evicted anyway, a fresh
 * random version replaces it, so responses cached under the old one are never served again:
 * losing a version costs misses, never staleness.
 */
const VERSION_TTL_MS = 24 * 60 * 60 * 1000;
/** The version of results not tied to one city (lat/lng without city): every city's change bumps it. */
const ANY_CITY = 'all' as const;

const versionKey = (scope: number | typeof ANY_CITY) => `discovery:city-version:${scope}`;

/**
 * The discovery response cache, through the cache-manager API only, so the store (memory now)
 * can become Redis without touching this class. A response's key holds the normalized query and
 * the data version of its city; bumping the version makes every cached response of the city
 * unreachable at once, on every instance sharing the store.
 */
@Injectable()
export class DiscoveryCache {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}

  /**
   * The cached response for `normalizedQuery`, or the one `compute` builds. cache-manager's wrap
   * coalesces concurrent calls for one key in this process, so concurrent misses compute once.
   * `compute` gets the primary's WAL position of the change behind the version, when one was
   * recorded: a read replica must have replayed it before its answer may be cached under it.
   */
  async getOrCompute(
    normalizedQuery: string,
    cityId: number | undefined,
    ttlMs: number,
    compute: (changedAt: WalPosition | undefined) => Promise<unknown>,
  ): Promise<CacheLookup> {
    const version = await this.versionOf(cityId ?? ANY_CITY);
    let hit = true;
    const response = await this.cache.wrap<CachedResponse>(
      `discovery:response:${version}:${normalizedQuery}`,
      async () => {
        hit = false;
        return serialize(await compute(changePositionOf(version)));
      },
      ttlMs,
    );
    return { response, hit };
  }

  /**
   * Call after a change to a city's venues, bookings or availability has committed: later
   * requests for that city (and position-only requests, which span cities) miss and recompute.
   * `changedAt` (with read replicas) is the primary's WAL position after that commit; it rides in
   * the version, so every instance sharing the store knows what a replica must have replayed.
   */
  async bumpCityVersion(cityId: number, changedAt?: WalPosition): Promise<void> {
    const value = changedAt === undefined ? randomUUID() : `${randomUUID()}@${changedAt}`;
    await this.cache.mset([cityId, ANY_CITY].map((scope) => ({ key: versionKey(scope), value, ttl: VERSION_TTL_MS })));
  }

  private versionOf(scope: number | typeof ANY_CITY): Promise<string> {
    return this.cache.wrap(versionKey(scope), () => randomUUID(), VERSION_TTL_MS);
  }
}

function changePositionOf(version: string): WalPosition | undefined {
  const at = version.indexOf('@');
  return at === -1 ? undefined : BigInt(version.slice(at + 1));
}

function serialize(body: unknown): CachedResponse {
  const json = JSON.stringify(body);
  return { body: json, etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 32)}"` };
}
