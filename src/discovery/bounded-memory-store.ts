/**
 * The in-process store under the response cache: a Map (what Keyv's memory mode expects) that
 * keeps at most `maxEntries`, dropping the least recently used. Keyv only deletes an expired
 * entry when it is read again, so without a bound every distinct query ever asked would stay.
 */
export class BoundedMemoryStore<V = unknown> extends Map<string, V> {
  constructor(private readonly maxEntries: number) {
    super();
  }

  override get(key: string): V | undefined {
    if (!super.has(key)) return undefined;
    const value = super.get(key) as V;
    // Re-inserting moves the key to the end of the Map's order: the most recently used.
    super.delete(key);
    super.set(key, value);
    return value;
  }

  override set(key: string, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > this.maxEntries) super.delete(this.keys().next().value as string);
    return this;
  }
}
