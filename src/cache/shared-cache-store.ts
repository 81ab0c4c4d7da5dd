import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createClient, RedisClientType } from '@keyv/redis';
import Keyv from 'keyv';
import { AppConfig } from '../config/app-config';
import { RateLimitedLog } from './rate-limited-log';
import { clearPrefix, RedisCommandRunner, RedisKeyvStore } from './redis-keyv-store';

/** An outage fails every request's cache calls: one log line a minute says so. */
const ERROR_LOG_INTERVAL_MS = 60_000;
/**
 * Reconnect attempts back off to this and keep going, so the cache comes back by itself within a
 * second of Redis. Short also because a closed client still waits out its pending delay.
 */
const MAX_RECONNECT_DELAY_MS = 1_000;

const UNANSWERED = Symbol('unanswered');

/**
 * The Redis store all API instances share when REDIS_URL is set (SPEC §2, §11): response caches,
 * their data versions and the attempt-limit counters live in Redis, so what one instance writes
 * every other sees. Without REDIS_URL there is nothing to share and callers keep their in-process store.
 *
 * Redis is never allowed to fail a request or to hold one for long. One client per process;
 * commands go through `run`, which sends nothing unless the connection is ready. A Redis that
 * refuses or drops connections fails commands at once: the client reconnects in the background,
 * within a second of Redis coming back.
 *
 * A Redis that accepts connections but does not answer (stopped, stuck, behind a dead proxy) is
 * the case node-redis does not bound: its command `timeout` is dropped once the command is written
 * to the socket (redis/node-redis#3008), and its connection handshake has no timeout at all, so
 * such a Redis held every request that touched it for as long as the connection lived. Here each
 * reply and each handshake gets REDIS_TIMEOUT_MS, and the first one to miss it opens a circuit
 * breaker: the connection is dropped (the commands waiting on it fail at once) and Redis is
 * skipped for REDIS_BREAKER_OPEN_MS. Then one new connection is the trial (half-open): its
 * handshake and a PING answered in time close the breaker; a miss opens it again.
 *
 * Writes attempted while Redis is skipped are lost, invalidations included (a booking bumps its
 * city's data version), and other instances may serve entries those writes would have replaced
 * until this one is back. So when Redis comes back after any outage, everything this process's
 * stores had cached is dropped before Redis is used again.
 *
 * Keys live under a namespace derived from the database the data comes from, so instances of one
 * deployment share entries while another deployment (or a parallel test file, each with its own
 * database) on the same Redis never reads them.
 */
@Injectable()
export class SharedCacheStore implements OnApplicationShutdown, RedisCommandRunner {
  private readonly logger = new Logger('SharedCacheStore');
  private readonly errors = new RateLimitedLog((message) => this.logger.warn(message), ERROR_LOG_INTERVAL_MS);
  private readonly namespacePrefix: string;
  /** Key prefixes of the Keyv stores, cleared when Redis comes back after an outage. */
  private readonly storePrefixes: string[] = [];
  /** The connection in use or on trial; undefined while the circuit breaker is open. */
  private client: RedisClientType | undefined;
  /** Connected, and nothing cached before an outage is left to be served. */
  private available = false;
  /** Writes may have been skipped since the stores were last known good: clear them before use. */
  private outageSinceClear = false;
  /** Connection errors so far; one during the clearing means the next 'ready' starts over. */
  private connectionErrors = 0;
  private unavailableSince: number | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private trialTimer: NodeJS.Timeout | undefined;

  constructor(private readonly config: AppConfig) {
    this.namespacePrefix = `venues-api:${databaseIdentity(config.DATABASE_URL)}`;
    if (config.REDIS_URL) this.connect(config.REDIS_URL);
  }

  get configured(): boolean {
    return this.config.REDIS_URL !== undefined;
  }

  /** True while Redis is skipped after a command or handshake went unanswered. */
  get breakerOpen(): boolean {
    return this.configured && this.client === undefined;
  }

  /** `parts` joined under this deployment's namespace: the key of shared data that is not a Keyv store's. */
  key(...parts: string[]): string {
    return [this.namespacePrefix, ...parts].join(':');
  }

  /**
   * A Keyv store in Redis under `namespace`, or undefined without REDIS_URL. Its operations never
   * throw: a failure, or Redis being skipped, reads as a miss and writes as a no-op (TTLs in ms).
   */
  keyv(namespace: string): Keyv | undefined {
    if (!this.configured) return undefined;
    const prefix = this.key(namespace);
    this.storePrefixes.push(prefix);
    return new Keyv(new RedisKeyvStore(this, prefix), { useKeyPrefix: false });
  }

  /**
   * `command` on the Redis connection, or undefined without sending anything when Redis is not
   * connected or is skipped. A failed command answers undefined too, so callers fall back to
   * their in-process path; a timed-out one opens the circuit breaker.
   */
  async run<T>(command: (client: RedisClientType) => Promise<T>): Promise<T | undefined> {
    const client = this.client;
    if (!client || !this.available || !client.isReady) return undefined;
    try {
      return await this.answeredInTime(client, command(client));
    } catch (error) {
      if (client === this.client) this.reportFailure(error);
      return undefined;
    }
  }

  /** True when Redis is connected, cleared after any outage and answers a PING within REDIS_TIMEOUT_MS; false without REDIS_URL. */
  async isReachable(): Promise<boolean> {
    return (await this.run((client) => client.ping())) === 'PONG';
  }

  onApplicationShutdown(): void {
    clearTimeout(this.handshakeTimer);
    clearTimeout(this.trialTimer);
    const client = this.client;
    this.client = undefined;
    this.available = false;
    // destroy, not close: pending commands fail at once instead of holding the shutdown.
    if (client?.isOpen) client.destroy();
  }

  private connect(url: string): void {
    const client = createClient({
      url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: this.config.REDIS_TIMEOUT_MS,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS),
      },
      // The default RESP2 client type; createClient's inferred type is wider.
    }) as RedisClientType;
    this.client = client;
    // Events of a connection the breaker dropped are ignored (it may still report its end).
    client.on('error', (error: unknown) => {
      if (client !== this.client) return;
      this.available = false;
      this.outageSinceClear = true;
      this.connectionErrors += 1;
      this.reportFailure(error);
    });
    client.on('connect', () => this.boundHandshake(client));
    client.on('ready', () => {
      clearTimeout(this.handshakeTimer);
      void this.becomeAvailable(client);
    });
    // Not awaited: the app starts and serves without Redis until it is there.
    client.connect().catch((error: unknown) => {
      if (client === this.client) this.reportFailure(error);
    });
  }

  /**
   * Once the socket is connected, node-redis sends its handshake (CLIENT SETINFO, and AUTH or
   * SELECT when the URL asks) and is ready only when it is answered, however long that takes.
   */
  private boundHandshake(client: RedisClientType): void {
    clearTimeout(this.handshakeTimer);
    this.handshakeTimer = setTimeout(() => {
      if (!client.isReady) this.openBreaker(client, 'the connection handshake');
    }, this.config.REDIS_TIMEOUT_MS);
  }

  /** `reply`, or an error once REDIS_TIMEOUT_MS has passed without it, the breaker then open. */
  private async answeredInTime<T>(client: RedisClientType, reply: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof UNANSWERED>((resolve) => {
      timer = setTimeout(() => resolve(UNANSWERED), this.config.REDIS_TIMEOUT_MS);
    });
    try {
      const answer = await Promise.race([reply, deadline]);
      if (answer !== UNANSWERED) return answer;
      this.openBreaker(client, 'a command');
      throw new Error(`Redis did not answer within ${this.config.REDIS_TIMEOUT_MS} ms`);
    } finally {
      clearTimeout(timer);
    }
  }

  private openBreaker(client: RedisClientType, unanswered: string): void {
    if (client !== this.client) return;
    this.client = undefined;
    this.available = false;
    this.outageSinceClear = true;
    this.unavailableSince ??= Date.now();
    clearTimeout(this.handshakeTimer);
    if (client.isOpen) client.destroy();
    this.logger.warn(
      `Redis did not answer ${unanswered} within ${this.config.REDIS_TIMEOUT_MS} ms: circuit breaker open, Redis skipped for ` +
        `${this.config.REDIS_BREAKER_OPEN_MS} ms (cache misses, attempt limits per process), then one new connection tries it`,
    );
    this.trialTimer = setTimeout(() => this.connect(this.config.REDIS_URL!), this.config.REDIS_BREAKER_OPEN_MS);
    this.trialTimer.unref();
  }

  /**
   * On every (re)connection. After an outage the stores are cleared first (after a PING: the
   * breaker's trial command); should the connection fail meanwhile, the next 'ready' starts over.
   * Requests arriving during the few milliseconds of the clearing read no entry: Redis is not yet used.
   */
  private async becomeAvailable(client: RedisClientType): Promise<void> {
    if (client !== this.client) return;
    const errorsBefore = this.connectionErrors;
    if (this.outageSinceClear && !(await this.clearStores(client))) return;
    if (client !== this.client || this.connectionErrors !== errorsBefore) return;
    this.available = true;
    this.outageSinceClear = false;
    if (this.unavailableSince !== undefined) {
      this.logger.log(
        `Redis answers again after ${Math.round((Date.now() - this.unavailableSince) / 1000)} s (circuit breaker closed); entries cached before the outage were dropped`,
      );
      this.unavailableSince = undefined;
    }
  }

  private async clearStores(client: RedisClientType): Promise<boolean> {
    try {
      await this.answeredInTime(client, client.ping());
      for (const prefix of this.storePrefixes) await clearPrefix((command) => this.answeredInTime(client, command(client)), prefix);
      return true;
    } catch (error) {
      if (client === this.client) this.reportFailure(error);
      return false;
    }
  }

  private reportFailure(error: unknown): void {
    this.unavailableSince ??= Date.now();
    this.errors.report(`Redis unavailable, serving from the database and limiting attempts per process: ${errorText(error)}`);
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message || error.constructor.name;
}

/** host:port/database of a postgres:// URL, without the credentials (the same data may be read as another user). */
function databaseIdentity(databaseUrl: string | undefined): string {
  if (!databaseUrl) return 'default';
  const url = new URL(databaseUrl);
  return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
}
