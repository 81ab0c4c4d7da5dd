import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createClient, createKeyv, RedisClientType } from '@keyv/redis';
import type Keyv from 'keyv';
import { AppConfig } from '../config/app-config';
import { RateLimitedLog } from './rate-limited-log';

/** An outage fails every request's cache calls: one log line a minute says so. */
const ERROR_LOG_INTERVAL_MS = 60_000;
/**
 * Reconnect attempts back off to this and keep going, so the cache comes back by itself within a
 * second of Redis. Short also because a closed client still waits out its pending delay.
 */
const MAX_RECONNECT_DELAY_MS = 1_000;

/**
 * The cache store all API instances share when REDIS_URL is set (SPEC §2): response caches and
 * their data versions live in Redis, so an invalidation on one instance is seen by every other.
 * Without REDIS_URL there is nothing to share and callers keep their in-process store.
 *
 * The cache is never allowed to fail a request. One client per process, connected in the
 * background and reconnecting forever; while it is not connected every command fails at once
 * (no offline queue), a connected but silent Redis fails each command after REDIS_TIMEOUT_MS, and
 * the Keyv stores turn every failure into a miss or a no-op. Callers then compute from the
 * database. Failures are logged at most once a minute.
 *
 * Invalidations are writes (a booking bumps its city's data version), so the ones attempted during
 * an outage are lost. When the connection comes back after an error, everything this process's
 * stores had cached is dropped before the store counts as available again: entries from before
 * the outage may describe data that has changed since.
 *
 * Keys live under a namespace derived from the database the cached data comes from, so instances
 * of one deployment share entries while another deployment (or a parallel test file, each with
 * its own database) on the same Redis never reads them.
 */
@Injectable()
export class SharedCacheStore implements OnApplicationShutdown {
  private readonly logger = new Logger('SharedCacheStore');
  private readonly errors = new RateLimitedLog((message) => this.logger.warn(message), ERROR_LOG_INTERVAL_MS);
  private readonly client: RedisClientType | undefined;
  private readonly namespacePrefix: string;
  private readonly stores: Keyv[] = [];
  /** Connected, and nothing cached before an outage is left to be served. */
  private available = false;
  /** Connection errors so far; a reconnection after any of them flushes the stores first. */
  private connectionErrors = 0;
  private unavailableSince: number | undefined;

  constructor(config: AppConfig) {
    this.namespacePrefix = `venues-api:${databaseIdentity(config.DATABASE_URL)}`;
    if (!config.REDIS_URL) return;
    this.client = createClient({
      url: config.REDIS_URL,
      disableOfflineQueue: true,
      commandOptions: { timeout: config.REDIS_TIMEOUT_MS },
      socket: {
        connectTimeout: config.REDIS_TIMEOUT_MS,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS),
      },
      // The default RESP2 client type createKeyv expects; createClient's inferred type is wider.
    }) as RedisClientType;
    this.client.on('error', (error: unknown) => {
      this.available = false;
      this.connectionErrors += 1;
      this.reportFailure(error);
    });
    this.client.on('ready', () => void this.becomeAvailable());
    // Not awaited: the app starts and serves from the database while Redis is away.
    this.client.connect().catch((error: unknown) => this.reportFailure(error));
  }

  get configured(): boolean {
    return this.client !== undefined;
  }

  /**
   * A Keyv store in Redis under `namespace`, or undefined without REDIS_URL. Its operations never
   * throw: a failure reads as a miss and writes as a no-op (cache-manager 7 TTLs are milliseconds).
   */
  keyv(namespace: string): Keyv | undefined {
    if (!this.client) return undefined;
    const keyv = createKeyv(this.client, { namespace: `${this.namespacePrefix}:${namespace}`, throwOnConnectError: false, throwOnErrors: false });
    keyv.on('error', (error: unknown) => this.reportFailure(error));
    this.stores.push(keyv);
    return keyv;
  }

  /** True when Redis is connected, flushed after any outage and answers a PING within REDIS_TIMEOUT_MS; false without REDIS_URL. */
  async isReachable(): Promise<boolean> {
    if (!this.available || !this.client?.isReady) return false;
    try {
      return (await this.client.ping()) === 'PONG';
    } catch (error) {
      this.reportFailure(error);
      return false;
    }
  }

  onApplicationShutdown(): void {
    // destroy, not close: pending commands fail at once instead of holding the shutdown.
    if (this.client?.isOpen) this.client.destroy();
  }

  /**
   * On every (re)connection. After an outage the stores are cleared first; should the connection
   * drop again meanwhile, the next 'ready' starts over. Requests arriving during the few
   * milliseconds of the flush may still read an old entry.
   */
  private async becomeAvailable(): Promise<void> {
    const errorsBefore = this.connectionErrors;
    if (errorsBefore > 0) await Promise.all(this.stores.map((store) => store.clear()));
    if (this.connectionErrors !== errorsBefore) return;
    this.available = true;
    if (this.unavailableSince !== undefined) {
      this.logger.log(`Redis cache store reachable again after ${Math.round((Date.now() - this.unavailableSince) / 1000)} s; entries cached before the outage were dropped`);
      this.unavailableSince = undefined;
    }
  }

  private reportFailure(error: unknown): void {
    this.unavailableSince ??= Date.now();
    this.errors.report(`Redis cache store unavailable, serving from the database: ${error instanceof Error ? error.message || error.name : String(error)}`);
  }
}

/** host:port/database of a postgres:// URL, without the credentials (the same data may be read as another user). */
function databaseIdentity(databaseUrl: string | undefined): string {
  if (!databaseUrl) return 'default';
  const url = new URL(databaseUrl);
  return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
}
