import { setFlagsFromString } from 'node:v8';
import { restoreFastStringPrototype } from './fast-string-prototype';

describe('restoreFastStringPrototype', () => {
  // V8's own test of an object's property storage (each test file runs in a realm with its own String).
  setFlagsFromString('--allow-natives-syntax');
  const hasFastProperties = new Function('object', 'return %HasFastProperties(object)') as (object: object) => boolean;

  it('gives String.prototype its fast properties back after the Redis client subclassed String', async () => {
    await import('@redis/client');
    expect(hasFastProperties(String.prototype)).toBe(false);

    restoreFastStringPrototype();

    expect(hasFastProperties(String.prototype)).toBe(true);
  });
});
