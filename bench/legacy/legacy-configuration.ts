/*
 * Part of the LEGACY REFERENCE (bench/legacy), deliberately slow: "configuration data was being
 * expanded on every single request". Every request reads app_config and the reference tables in a
 * session of its own and rebuilds nested objects from them; nothing is memoized. Never imported
 * by src/.
 */
import type { LegacyDatabase, Row } from './legacy-database';

export interface LegacyConfiguration {
  settings: Record<string, any>;
  cities: Row[];
  categories: Row[];
  addOns: Row[];
}

/** app_config's dotted keys as nested objects: `discovery.default_page_size` → settings.discovery.default_page_size. */
function expand(rows: Row[]): Record<string, any> {
  const settings: Record<string, any> = {};
  for (const row of rows) {
    const path = String(row.key).split('.');
    let node = settings;
    for (const part of path.slice(0, -1)) node = node[part] ??= {};
    node[path[path.length - 1]] = JSON.parse(JSON.stringify(row.value));
  }
  return settings;
}

export function loadConfiguration(db: LegacyDatabase): Promise<LegacyConfiguration> {
  return db.session(async (sql) => {
    const settings = expand(await sql('SELECT key, value FROM app_config'));
    const cities = await sql('SELECT * FROM cities');
    const categories = await sql('SELECT * FROM categories');
    const addOns = await sql('SELECT * FROM add_ons');
    return { settings, cities, categories, addOns };
  });
}
