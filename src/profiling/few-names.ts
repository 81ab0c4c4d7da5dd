/**
 * Values kept by name where the names are few and come from code (stage names): found by a scan of
 * the names in order of first use, which on every request costs less than hashing a name.
 */
export class FewNames<Value> {
  private readonly names: string[] = [];
  private readonly values: Value[] = [];

  /** `capacity` bounds the memo against a caller that makes names at run time. */
  constructor(private readonly capacity = Number.POSITIVE_INFINITY) {}

  /** A loop the compiler inlines: Array#indexOf is a call into V8's generic search, several times the cost for a few names. */
  get(name: string): Value | undefined {
    const { names } = this;
    for (let index = 0; index < names.length; index += 1) if (names[index] === name) return this.values[index];
    return undefined;
  }

  /** No further name will be kept. */
  get full(): boolean {
    return this.names.length >= this.capacity;
  }

  /** Keeps `value` under `name` unless the capacity is reached; returns it either way. */
  keep(name: string, value: Value): Value {
    if (this.names.length < this.capacity) {
      this.names.push(name);
      this.values.push(value);
    }
    return value;
  }
}
