import { BoundedMemoryStore } from './bounded-memory-store';
import type { CachedResponse } from './discovery-cache';

/** What the response cache keeps under a key: a response, or a city's data version. */
type CachedValue = CachedResponse | string;

/** What Keyv hands its store and expects back when it does not serialize: the value and when it expires. */
export interface KeyvEntry {
  value: CachedValue;
  expires?: number;
}

/** An entry as kept: a response's body as UTF-8 bytes, outside the JS heap. */
interface StoredEntry {
  value: { body: Buffer; etag: string } | string;
  expires?: number;
}

/** UTF-8 bytes of the key, the body and the ETag (a version: the key and the value): what the entry is when serialized. */
function serializedSize(key: string, { value }: StoredEntry): number {
  return Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : value.body.length + value.etag.length);
}

/**
 * The discovery response cache in process memory (without REDIS_URL), bounded in bytes
 * (DISCOVERY_CACHE_MAX_BYTES) and in entries (DISCOVERY_CACHE_MAX_ENTRIES), least recently used
 * dropped first.
 *
 * Bodies are kept as Buffers. Measured on a soak of distinct misses, 10,000 bodies kept as
 * strings (~11 KB each) were live JS heap, and V8 sizes its heap to a multiple of what is live:
 * the process grew to 710 MB resident for ~110 MB of responses. Buffers live outside the heap and
 * their bytes are the exact count the bound needs. A hit decodes its body back to a string, since
 * Nest's Express adapter would send a Buffer as JSON: 1-3 µs for a 12 KB body (measured), less
 * than Express then spends encoding every string body it sends back to bytes.
 *
 * The bytes count what the entries serialize to, not the bookkeeping around each one (a few
 * hundred bytes of objects and Map slot): DISCOVERY_CACHE_MAX_ENTRIES bounds that, for a flood
 * of tiny responses (empty pages) the byte bound alone would let pile up.
 */
export class ResponseMemoryStore {
  private readonly entries: BoundedMemoryStore<StoredEntry>;

  constructor(
    readonly maxBytes: number,
    maxEntries: number,
  ) {
    this.entries = new BoundedMemoryStore(maxEntries, { maxBytes, sizeOf: serializedSize });
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.entries.bytes;
  }

  get evictions(): number {
    return this.entries.evictions;
  }

  get(key: string): KeyvEntry | undefined {
    const stored = this.entries.get(key);
    if (stored === undefined || typeof stored.value === 'string') return stored as KeyvEntry | undefined;
    return { value: { body: stored.value.body.toString(), etag: stored.value.etag }, expires: stored.expires };
  }

  set(key: string, { value, expires }: KeyvEntry): void {
    this.entries.set(key, { value: typeof value === 'string' ? value : { body: Buffer.from(value.body), etag: value.etag }, expires });
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
