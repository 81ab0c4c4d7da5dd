import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';

export const REPOSITORY_ROOT = resolve(__dirname, '../..');

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  os: string;
  /** 1, 5 and 15 minute load averages when the bench started: above the core count, something else was busy. */
  loadAverageAtStart: number[];
}

export interface Versions {
  node: string;
  postgres: string;
  packages: Record<string, string>;
  gitCommit: string | null;
  /** Uncommitted changes were built into the measured API. */
  gitDirty: boolean | null;
}

/** The packages whose versions decide the numbers. */
const MEASURED_PACKAGES = ['@nestjs/core', '@nestjs/platform-express', 'express', 'typeorm', 'pg', 'cache-manager', 'pino', 'autocannon', 'typescript'];

export function describeMachine(): Machine {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${osType()} ${release()}`,
    loadAverageAtStart: loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

function packageVersion(name: string): string {
  try {
    return JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

function git(args: string[], checkout = REPOSITORY_ROOT): string | null {
  try {
    return execFileSync('git', args, { cwd: checkout, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** The commit a checkout is at, with `+changes` when its tracked files differ from it. */
export function describeCheckout(checkout: string): string {
  const commit = git(['rev-parse', '--short', 'HEAD'], checkout) ?? 'unknown commit';
  const status = git(['status', '--porcelain', '--untracked-files=no'], checkout);
  return status ? `${commit}+changes` : commit;
}

export async function describeVersions(harness: DataSource): Promise<Versions> {
  const server = await harness
    .createQueryBuilder()
    .select('setting.setting', 'version')
    .from('pg_settings', 'setting')
    .where('setting.name = :name', { name: 'server_version' })
    .getRawOne<{ version: string }>();
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  return {
    node: process.version,
    postgres: server!.version,
    packages: Object.fromEntries(MEASURED_PACKAGES.map((name) => [name, packageVersion(name)])),
    gitCommit: git(['rev-parse', '--short', 'HEAD']),
    gitDirty: status === null ? null : status.length > 0,
  };
}
