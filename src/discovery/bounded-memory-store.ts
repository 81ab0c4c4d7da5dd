/** A byte bound: the most bytes the entries may take together, as `sizeOf` counts each one. */
export interface ByteBound<V> {
  maxBytes: number;
  sizeOf(key: string, value: V): number;
}

const NO_BYTE_BOUND: ByteBound<unknown> = { maxBytes: Infinity, sizeOf: () => 0 };

/**
 * An in-process store: a Map (what Keyv's memory mode expects) that keeps at most `maxEntries`,
 * and with a byte bound at most `maxBytes`, dropping the least recently used. Keyv only deletes an
 * expired entry when it is read again, so without a bound every distinct query ever asked would stay.
 */
export class BoundedMemoryStore<V = unknown> extends Map<string, V> {
  private bytesHeld = 0;
  private evicted = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly byteBound: ByteBound<V> = NO_BYTE_BOUND,
  ) {
    super();
  }

  /** What the entries take together, as the byte bound's `sizeOf` counts them. */
  get bytes(): number {
    return this.bytesHeld;
  }

  /** Entries dropped so far to stay within the bounds (not those replaced or deleted). */
  get evictions(): number {
    return this.evicted;
  }

  override get(key: string): V | undefined {
    if (!super.has(key)) return undefined;
    const value = super.get(key) as V;
    // Re-inserting moves the key to the end of the Map's order: the most recently used.
    super.delete(key);
    super.set(key, value);
    return value;
  }

  /** An entry larger than the whole byte bound is not kept: it would only empty the store. */
  override set(key: string, value: V): this {
    this.delete(key);
    const size = this.byteBound.sizeOf(key, value);
    if (size > this.byteBound.maxBytes) return this;
    super.set(key, value);
    this.bytesHeld += size;
    while (this.size > this.maxEntries || this.bytesHeld > this.byteBound.maxBytes) {
      this.delete(this.keys().next().value as string);
      this.evicted += 1;
    }
    return this;
  }

  override delete(key: string): boolean {
    if (!super.has(key)) return false;
    this.bytesHeld -= this.byteBound.sizeOf(key, super.get(key) as V);
    return super.delete(key);
  }

  override clear(): void {
    super.clear();
    this.bytesHeld = 0;
  }
}
