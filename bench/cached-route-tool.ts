import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBenchData, type Stops } from './bench-database';
import type { HttpRequest } from './measure';
import type { DatasetName } from './options';
import { cachedDiscovery, discoveryPath } from './workloads';

/** What one of the bench's measuring tools is given to measure the cached discovery route. */
export interface CachedRouteRun {
  databaseUrl: string;
  request: HttpRequest;
  /** A scratch directory, removed afterwards. */
  directory: string;
  /** Stopped afterwards, whatever happens. */
  stops: Stops;
}

/**
 * The frame of the bench's measuring tools on the cached discovery route (bench:instructions,
 * bench:profiler-cpu): checks that the program they measure with is installed, opens the bench data,
 * and stops whatever was started and removes the scratch directory, whatever happens.
 */
export async function measureCachedRoute(program: { command: string; debianPackage: string }, dataset: DatasetName, measure: (run: CachedRouteRun) => Promise<void>): Promise<void> {
  try {
    execFileSync(program.command, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${program.command} is missing: apt-get install -y ${program.debianPackage}`);
  }
  const stops: Stops = [];
  const directory = mkdtempSync(join(tmpdir(), `venues-${program.command}-`));
  try {
    const { database, fixtures } = await openBenchData(dataset, (line) => console.error(line), stops);
    await measure({ databaseUrl: database.url, request: { method: 'GET', path: discoveryPath(cachedDiscovery(fixtures)) }, directory, stops });
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
  }
}
