import { FixedWindowCounters } from './fixed-window-counters';

describe('FixedWindowCounters', () => {
  let now: number;
  let counters: FixedWindowCounters;

  beforeEach(() => {
    now = 1_000_000;
    counters = new FixedWindowCounters(() => now);
  });

  it('counts hits of a key within the window its first hit opened, and starts over when it ends', () => {
    expect(counters.increment('a', 60_000)).toEqual({ hits: 1, msLeft: 60_000 });
    now += 59_000;
    expect(counters.increment('a', 60_000)).toEqual({ hits: 2, msLeft: 1_000 });
    expect(counters.increment('b', 60_000)).toEqual({ hits: 1, msLeft: 60_000 });
    now += 1_000;
    expect(counters.increment('a', 60_000)).toEqual({ hits: 1, msLeft: 60_000 });
  });

  it('takes back a hit within the window, never below zero and never into a window that ended', () => {
    counters.increment('a', 60_000);
    counters.increment('a', 60_000);
    counters.decrement('a');
    expect(counters.increment('a', 60_000).hits).toBe(2);

    counters.decrement('a');
    counters.decrement('a');
    counters.decrement('a');
    expect(counters.increment('a', 60_000).hits).toBe(1);

    now += 60_000;
    counters.decrement('a');
    expect(counters.increment('a', 60_000).hits).toBe(1);
  });

  it('drops the keys of ended windows, so addresses and accounts seen once do not pile up', () => {
    for (let i = 0; i < 100; i++) counters.increment(`key-${i}`, 60_000);
    expect(counters.size).toBe(100);
    now += 60_000;
    counters.increment('fresh', 60_000);
    expect(counters.size).toBe(1);
  });
});
