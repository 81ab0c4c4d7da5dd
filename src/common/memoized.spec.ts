import { Memoized } from './memoized';

describe('Memoized', () => {
  it('loads once for concurrent callers', async () => {
    let loads = 0;
    const memo = new Memoized(async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return loads;
    }, 60_000);
    const values = await Promise.all(Array.from({ length: 50 }, () => memo.get()));
    expect(values).toEqual(Array(50).fill(1));
    expect(loads).toBe(1);
  });

  it('serves the stale value while an invalidation reloads it in the background', async () => {
    let version = 1;
    const memo = new Memoized(async () => version, 60_000);
    expect(await memo.get()).toBe(1);
    version = 2;
    memo.invalidate();
    await memo.refresh();
    expect(await memo.get()).toBe(2);
  });

  it('reloads after its TTL', async () => {
    let version = 1;
    const memo = new Memoized(async () => version, 0);
    expect(await memo.get()).toBe(1);
    version = 2;
    await memo.get();
    await memo.refresh();
    expect(await memo.get()).toBe(2);
  });

  it('keeps the last good value when a refresh fails', async () => {
    let fail = false;
    const errors: unknown[] = [];
    const memo = new Memoized(
      async () => {
        if (fail) throw new Error('database down');
        return 'good';
      },
      0,
      (error) => errors.push(error),
    );
    expect(await memo.get()).toBe('good');
    fail = true;
    expect(await memo.get()).toBe('good');
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
  });
});
