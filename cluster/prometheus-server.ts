import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROGRAMS } from './debian-packages';
import { answersOk, ManagedProcess, waitUntil } from './managed-process';
import { PROMETHEUS_CONFIG } from './repository-paths';

const READY_TIMEOUT_MS = 30_000;

export interface ScrapeTarget {
  replica: string;
  address: string;
}

/**
 * Debian's Prometheus with the shared docker/prometheus.yml, copied into `directory` so that the
 * targets.json it reads from beside itself is this topology's, and its database there too.
 */
export async function startPrometheus(directory: string, logDirectory: string, port: number, targets: ScrapeTarget[]): Promise<ManagedProcess> {
  mkdirSync(directory);
  const configFile = join(directory, 'prometheus.yml');
  copyFileSync(PROMETHEUS_CONFIG, configFile);
  const groups = targets.map((target) => ({ targets: [target.address], labels: { replica: target.replica } }));
  writeFileSync(join(directory, 'targets.json'), JSON.stringify(groups, null, 2));

  const server = ManagedProcess.start({
    name: 'prometheus',
    command: PROGRAMS.prometheus.path,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    cwd: directory,
    logFile: join(logDirectory, 'prometheus.log'),
  });
  await waitUntil(() => answersOk(`http://127.0.0.1:${port}/-/ready`), `Prometheus to be ready on port ${port}`, READY_TIMEOUT_MS, server);
  return server;
}
