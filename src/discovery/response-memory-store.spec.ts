import Keyv from 'keyv';
import { ResponseMemoryStore } from './response-memory-store';

/** A response whose key, body and ETag take exactly `bytes` UTF-8 bytes together. */
function responseOf(key: string, bytes: number) {
  const etag = '"etag"';
  return { key, value: { body: 'x'.repeat(bytes - key.length - etag.length), etag } };
}

describe('ResponseMemoryStore', () => {
  it('counts each entry as the UTF-8 bytes of its key, body and ETag, or of its key and version', () => {
    const store = new ResponseMemoryStore(10_000, 100);
    const body = JSON.stringify({ name: 'Plzeň – Čeština €' });
    store.set('r', { value: { body, etag: '"e1"' } });
    store.set('v', { value: 'version-é' });
    expect(store.bytes).toBe(1 + Buffer.byteLength(body) + 4 + 1 + Buffer.byteLength('version-é'));
    expect(store.size).toBe(2);

    store.set('r', { value: { body: '[]', etag: '"e2"' } });
    expect(store.bytes).toBe(1 + 2 + 4 + 1 + Buffer.byteLength('version-é'));
    store.delete('v');
    expect(store.bytes).toBe(7);
    store.clear();
    expect(store.bytes).toBe(0);
  });

  it('gives back what it was given: the body decoded from its bytes, the ETag, the expiry', () => {
    const store = new ResponseMemoryStore(10_000, 100);
    const body = JSON.stringify({ data: [{ name: 'Brno – Špilberk', price: '1 200 Kč' }] });
    store.set('r', { value: { body, etag: '"abc"' }, expires: 1234 });
    store.set('v', { value: 'version', expires: 99 });
    expect(store.get('r')).toEqual({ value: { body, etag: '"abc"' }, expires: 1234 });
    expect(store.get('v')).toEqual({ value: 'version', expires: 99 });
    expect(store.get('missing')).toBeUndefined();
  });

  it('filled past its byte bound, drops the least recently used, keeps at most the bound and counts evictions', () => {
    const store = new ResponseMemoryStore(1_000, 100);
    for (let i = 0; i < 10; i++) {
      const { key, value } = responseOf(`k${i}`, 300);
      store.set(key, { value });
      expect(store.bytes).toBeLessThanOrEqual(1_000);
    }
    expect(store.bytes).toBe(900);
    expect(store.evictions).toBe(7);
    expect([...Array(10).keys()].filter((i) => store.has(`k${i}`))).toEqual([7, 8, 9]);
  });

  it('keeps the most recently read entry when the bound pushes others out', () => {
    const store = new ResponseMemoryStore(1_000, 100);
    for (const key of ['a', 'b', 'c']) store.set(key, { value: responseOf(key, 300).value });
    store.get('a');
    store.set('d', { value: responseOf('d', 300).value });
    expect(['a', 'b', 'c', 'd'].filter((key) => store.has(key))).toEqual(['a', 'c', 'd']);
    expect(store.evictions).toBe(1);
  });

  it('also keeps at most DISCOVERY_CACHE_MAX_ENTRIES entries, however small', () => {
    const store = new ResponseMemoryStore(1_000_000, 3);
    for (let i = 0; i < 5; i++) store.set(`v${i}`, { value: 'x' });
    expect(store.size).toBe(3);
    expect(store.evictions).toBe(2);
  });

  it('keeps no entry larger than the whole bound, and drops the older value of its key', () => {
    const store = new ResponseMemoryStore(1_000, 100);
    store.set('small', { value: responseOf('small', 300).value });
    store.set('big', { value: responseOf('big', 200).value });
    store.set('big', { value: responseOf('big', 1_001).value });
    expect(store.has('big')).toBe(false);
    expect(store.has('small')).toBe(true);
    expect(store.bytes).toBe(300);
    expect(store.evictions).toBe(0);
  });

  it('serves Keyv as its in-process store, expiry included', async () => {
    const store = new ResponseMemoryStore(10_000, 100);
    const keyv = new Keyv({ store, serialize: undefined, deserialize: undefined });
    const response = { body: '{"data":[]}', etag: '"e"' };
    await keyv.set('response', response, 60_000);
    expect(await keyv.get('response')).toEqual(response);
    await keyv.set('gone', response, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await keyv.get('gone')).toBeUndefined();
    expect(store.size).toBe(1);
  });
});
