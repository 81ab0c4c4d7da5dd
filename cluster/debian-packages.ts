import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';

/** The PostgreSQL major the project supports on Debian (bookworm's), as on the CI machines. */
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/** Each program the topology runs, and the Debian package that installs it. */
export const PROGRAMS = {
  nginx: { path: '/usr/sbin/nginx', debianPackage: 'nginx' },
  prometheus: { path: '/usr/bin/prometheus', debianPackage: 'prometheus' },
  redis: { path: '/usr/bin/redis-server', debianPackage: 'redis-server' },
  postgres: { path: `${POSTGRES_BIN}/postgres`, debianPackage: 'postgresql-15' },
  initdb: { path: `${POSTGRES_BIN}/initdb`, debianPackage: 'postgresql-15' },
} as const;

/**
 * Debian's invoke-rc.d asks this script whether a package's maintainer scripts may start its
 * service; 101 says no. Without it, installing nginx starts Debian's own nginx on port 80 and
 * prometheus its own on 9090, which the topology would then collide with.
 */
const POLICY_RC_D = '/usr/sbin/policy-rc.d';

export class MissingPackagesError extends Error {}

export function missingDebianPackages(): string[] {
  const missing = Object.values(PROGRAMS)
    .filter((program) => !existsSync(program.path))
    .map((program) => program.debianPackage);
  return [...new Set(missing)];
}

/**
 * Installs the Debian packages whose programs are missing when this process is root (saying so,
 * with apt's output), without letting their services start; otherwise fails with the command to run.
 */
export function ensureDebianPackages(report: (line: string) => void): void {
  const missing = missingDebianPackages();
  if (missing.length === 0) return;
  const install = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new MissingPackagesError(`Missing Debian packages: ${missing.join(', ')}. Install them, then run this again:\n  sudo apt-get update && sudo ${install}`);
  }
  report(`Installing the missing Debian packages ${missing.join(', ')} (apt-get update, then ${install}); their services are not started`);
  const ownPolicy = !existsSync(POLICY_RC_D);
  if (ownPolicy) writeFileSync(POLICY_RC_D, '#!/bin/sh\n# Written by the venues-api cluster script while it installs packages; removed after.\nexit 101\n', { mode: 0o755 });
  try {
    const apt = { stdio: 'inherit' as const, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
    execFileSync('apt-get', ['update'], apt);
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], apt);
  } finally {
    if (ownPolicy) rmSync(POLICY_RC_D, { force: true });
  }
  const stillMissing = missingDebianPackages();
  if (stillMissing.length > 0) throw new MissingPackagesError(`apt-get did not install ${stillMissing.join(', ')}`);
}
