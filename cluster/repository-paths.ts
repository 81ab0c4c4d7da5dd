import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The checkout this code belongs to, whether it runs compiled (dist/cluster) or from source (the tests). */
function findRepositoryRoot(start: string): string {
  for (let directory = start; directory !== dirname(directory); directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) return directory;
  }
  throw new Error(`no package.json above ${start}`);
}

export const REPOSITORY_ROOT = findRepositoryRoot(__dirname);
export const API_MAIN = join(REPOSITORY_ROOT, 'dist', 'src', 'main.js');
export const SEED_CLI = join(REPOSITORY_ROOT, 'dist', 'src', 'seed', 'seed.cli.js');
/** The edge's server block, shared with docker/compose.yaml. */
export const NGINX_TEMPLATE = join(REPOSITORY_ROOT, 'docker', 'nginx', 'venues.conf.template');
/** The scrape configuration, shared with docker/compose.yaml. */
export const PROMETHEUS_CONFIG = join(REPOSITORY_ROOT, 'docker', 'prometheus.yml');
