import { EventEmitter } from 'node:events';
import type { RedisClientType } from '@keyv/redis';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

/** Sends a command when Redis may be asked, else (or when it fails) answers undefined. See SharedCacheStore.run. */
export interface RedisCommandRunner {
  run<T>(command: (client: RedisClientType) => Promise<T>): Promise<T | undefined>;
}

/** Keys UNLINKed per round trip when a store is cleared. */
const CLEAR_BATCH_SIZE = 1000;

/**
 * A Keyv store in Redis under one key prefix, laid out as @keyv/redis lays it out (`prefix::key`,
 * Keyv's serialized value, PX expiry), with every command sent through SharedCacheStore.run:
 * nothing is sent while Redis is unavailable or skipped by the circuit breaker (a read is a miss,
 * a write a no-op), and every command is bounded by REDIS_TIMEOUT_MS.
 *
 * Not @keyv/redis's adapter: it sends its commands on the client directly, where nothing bounds
 * the wait for a reply or lets the circuit breaker skip them.
 */
export class RedisKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts = { dialect: 'redis' };
  /** Set by Keyv; unused, the keys carry `prefix` instead. */
  namespace?: string;

  constructor(
    private readonly redis: RedisCommandRunner,
    private readonly prefix: string,
  ) {
    super();
  }

  // Values are the strings Keyv serialized; Keyv deserializes what get returns, whatever the adapter type says.
  async get<Value>(key: string): Promise<StoredData<Value>> {
    return ((await this.redis.run((client) => client.get(this.keyOf(key)))) ?? undefined) as StoredData<Value>;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    const values = await this.redis.run((client) => client.mGet(keys.map((key) => this.keyOf(key))));
    return keys.map((_, index) => (values?.[index] ?? undefined) as StoredData<Value | undefined>);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    await this.redis.run((client) =>
      ttlMs ? client.set(this.keyOf(key), value, { expiration: { type: 'PX', value: ttlMs } }) : client.set(this.keyOf(key), value),
    );
  }

  /** One SET per entry, pipelined by the client: each is bounded by the command timeout, unlike a MULTI. */
  async setMany(entries: Array<{ key: string; value: string; ttl?: number }>): Promise<void> {
    await Promise.all(entries.map((entry) => this.set(entry.key, entry.value, entry.ttl)));
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.run((client) => client.unlink(this.keyOf(key)))) === 1;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    return ((await this.redis.run((client) => client.unlink(keys.map((key) => this.keyOf(key))))) ?? 0) > 0;
  }

  async has(key: string): Promise<boolean> {
    return (await this.redis.run((client) => client.exists(this.keyOf(key)))) === 1;
  }

  async clear(): Promise<void> {
    await clearPrefix((command) => this.redis.run(command), this.prefix);
  }

  private keyOf(key: string): string {
    return `${this.prefix}::${key}`;
  }
}

/**
 * Deletes every key of a store, SCAN by SCAN so a large store never blocks Redis for long; each
 * command goes through `send` (which bounds its reply), and an unanswered one ends the clearing.
 */
export async function clearPrefix(send: RedisCommandRunner['run'], prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const page = await send((client) => client.scan(cursor, { MATCH: `${prefix}::*`, COUNT: CLEAR_BATCH_SIZE }));
    if (!page) return;
    if (page.keys.length > 0) await send((client) => client.unlink(page.keys));
    cursor = page.cursor;
  } while (cursor !== '0');
}
