/**
 * A 53-bit hash of a statement's bind values (cyrb53 over their text forms), so that two runs
 * with the same values are recognised as a duplicate without keeping the values anywhere.
 */
export function hashValues(values: readonly unknown[] | undefined): number {
  if (!values || values.length === 0) return 0;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const mix = (code: number) => {
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  };
  for (const value of values) {
    const text = textOf(value);
    for (let index = 0; index < text.length; index += 1) mix(text.charCodeAt(index));
    mix(0x1f);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '\u0000null';
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'object') return JSON.stringify(value);
  return `${typeof value}:${String(value)}`;
}
