import type { DiscoveryQuery } from './dto/discovery.query';

/**
 * The cache identity of a validated query: every parameter with a value (defaults included, so
 * `page=1` and no page are one query), in name order, lists already sorted by the DTO. Built
 * from the instance's own keys, so a parameter added to the DTO is part of the key without
 * anyone remembering to add it.
 */
export function normalizedQuery(query: DiscoveryQuery): string {
  // A frozen query is a reused validated one (common/validation.ts) and serves every request with
  // the same query string: its key is built once. Anything else may still change, so it is not kept.
  if (!Object.isFrozen(query)) return buildKey(query);
  let key = keysOfFrozenQueries.get(query);
  if (key === undefined) {
    key = buildKey(query);
    keysOfFrozenQueries.set(query, key);
  }
  return key;
}

const keysOfFrozenQueries = new WeakMap<DiscoveryQuery, string>();

function buildKey(query: DiscoveryQuery): string {
  return Object.entries(query)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${encodeURIComponent([value].flat().join(','))}`)
    .join('&');
}
