import { Counter, Gauge, Registry } from 'prom-client';
import type { ResponseMemoryStore } from './response-memory-store';

/**
 * The in-process response cache in /metrics, read from the store at each scrape (the request path
 * pays nothing): what it holds against its bound, and how many entries the bound has pushed out.
 */
export function exposeResponseCacheMetrics(registry: Registry, store: ResponseMemoryStore): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('discovery_cache_entries', 'Entries in the in-process discovery response cache (responses and city data versions)', () => store.size);
  gauge('discovery_cache_bytes', 'Serialized bytes (key, body, ETag) the in-process discovery response cache holds', () => store.bytes);
  gauge('discovery_cache_max_bytes', 'The byte bound of the in-process discovery response cache (DISCOVERY_CACHE_MAX_BYTES)', () => store.maxBytes);
  new Counter({
    name: 'discovery_cache_evictions_total',
    help: 'Least recently used entries the in-process discovery response cache dropped to stay within its bounds',
    registers: [registry],
    collect() {
      // The store counts; a scrape copies its count.
      this.reset();
      this.inc(store.evictions);
    },
  });
}
