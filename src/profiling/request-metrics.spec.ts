import { Counter, Histogram, Registry } from 'prom-client';
import { RequestCounter, RequestHistogram } from './request-metrics';

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
    const seriesByKey = new Map<string, (value: number) => void>();
    for (const [labels, value] of observations) {
      histogram.labels(labels).observe(value);
      const key = JSON.stringify(labels);
      if (!seriesByKey.has(key)) seriesByKey.set(key, fast.seriesOf(labels));
      seriesByKey.get(key)!(value);
    }
    expect(await ours.metrics()).toBe(await reference.metrics());
  });

  it("exposes exactly what prom-client's Counter exposes for the same increments", async () => {
    const reference = new Registry();
    const counter = new Counter({ name: 'cache_results_total', help: 'Lookups', labelNames: ['route', 'result'], registers: [reference] });
    const ours = new Registry();
    const fast = new RequestCounter('cache_results_total', 'Lookups', ours);
    const hit = fast.seriesOf({ route: '/v1/a', result: 'hit' });
    const miss = fast.seriesOf({ route: '/v1/a', result: 'miss' });
    for (const result of ['hit', 'miss', 'hit', 'hit']) {
      counter.inc({ route: '/v1/a', result });
      (result === 'hit' ? hit : miss)();
    }
    expect(await ours.metrics()).toBe(await reference.metrics());
  });
});
