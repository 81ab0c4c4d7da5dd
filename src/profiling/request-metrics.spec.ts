import { Counter, Histogram, Registry } from 'prom-client';
import { RequestCounter, RequestHistogram, SeriesValues } from './request-metrics';

describe('request metrics', () => {
  it("exposes exactly what prom-client's Histogram exposes for the same observations", async () => {
    const bounds = [0.001, 0.01, 0.1, 1];
    const observations: Array<[Record<string, string>, number]> = [
      [{ route: '/v1/a', stage: 'auth' }, 0.0004],
      [{ route: '/v1/a', stage: 'auth' }, 0.001],
      [{ route: '/v1/a', stage: 'handler' }, 0.05],
      [{ route: '/v1/b', stage: 'auth' }, 3],
      [{ route: '/v1/a', stage: 'handler' }, 0.1],
    ];
    const reference = new Registry();
    const histogram = new Histogram({ name: 'stage_seconds', help: 'Stage time', labelNames: ['route', 'stage'], buckets: bounds, registers: [reference] });
    const ours = new Registry();
    const fast = new RequestHistogram('stage_seconds', 'Stage time', bounds, ours);
    // Series of two routes in two stores, reserved in the order first observed, as the profiler does.
    const stores = new Map<string, SeriesValues>();
    const seriesByKey = new Map<string, number>();
    for (const [labels, value] of observations) {
      histogram.labels(labels).observe(value);
      const store = stores.get(labels.route) ?? stores.set(labels.route, new SeriesValues()).get(labels.route)!;
      const key = JSON.stringify(labels);
      if (!seriesByKey.has(key)) seriesByKey.set(key, fast.seriesOf(labels, store));
      fast.observe(store, seriesByKey.get(key)!, value);
    }
    expect(await ours.metrics()).toBe(await reference.metrics());
  });

  it('keeps every series when a store grows past its first slots', async () => {
    const bounds = Array.from({ length: 60 }, (_, index) => index + 1);
    const reference = new Registry();
    const histogram = new Histogram({ name: 'sizes', help: 'Sizes', labelNames: ['kind'], buckets: bounds, registers: [reference] });
    const ours = new Registry();
    const fast = new RequestHistogram('sizes', 'Sizes', bounds, ours);
    const store = new SeriesValues();
    const slots: number[] = [];
    // 63 slots a series: the fifth series passes the first 256 slots.
    for (let kind = 0; kind < 6; kind += 1) {
      slots.push(fast.seriesOf({ kind: String(kind) }, store));
      for (const value of [kind, kind * 10, 100]) {
        histogram.labels({ kind: String(kind) }).observe(value);
        fast.observe(store, slots[kind], value);
      }
    }
    fast.observe(store, slots[0], 7);
    histogram.labels({ kind: '0' }).observe(7);
    expect(await ours.metrics()).toBe(await reference.metrics());
  });

  it("exposes exactly what prom-client's Counter exposes for the same increments", async () => {
    const reference = new Registry();
    const counter = new Counter({ name: 'cache_results_total', help: 'Lookups', labelNames: ['route', 'result'], registers: [reference] });
    const ours = new Registry();
    const fast = new RequestCounter('cache_results_total', 'Lookups', ours);
    const store = new SeriesValues();
    const hit = fast.seriesOf({ route: '/v1/a', result: 'hit' }, store);
    const miss = fast.seriesOf({ route: '/v1/a', result: 'miss' }, store);
    for (const result of ['hit', 'miss', 'hit', 'hit']) {
      counter.inc({ route: '/v1/a', result });
      fast.increment(store, result === 'hit' ? hit : miss);
    }
    expect(await ours.metrics()).toBe(await reference.metrics());
  });
});
