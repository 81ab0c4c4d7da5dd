import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createDatabaseIfMissing, dropDatabaseIfExists, withClient } from '../src/database/postgres-admin';
import { PROGRAMS } from './debian-packages';
import { ManagedProcess, waitUntil } from './managed-process';

const READY_TIMEOUT_MS = 30_000;
export const SUPERUSER = 'postgres';
export const DATABASE = 'venues';

export interface RunningPostgres {
  process: ManagedProcess;
  /** The server's URL with a database name: `${serverUrl}/${name}`. */
  serverUrl: string;
  databaseUrl: string;
}

/** The `postgres` system user of Debian's PostgreSQL packages: PostgreSQL refuses to run as root. */
function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * A throwaway PostgreSQL (Debian's binaries) with its cluster in `directory`, listening on
 * 127.0.0.1 only, trust authentication, no fsync: nothing in it must survive the run. As root it
 * runs as the `postgres` user, which then owns `directory`.
 */
export async function startPostgres(directory: string, logDirectory: string, port: number): Promise<RunningPostgres> {
  const user = process.getuid?.() === 0 ? postgresUser() : undefined;
  mkdirSync(directory, { mode: 0o700 });
  if (user) chownSync(directory, user.uid, user.gid);
  const dataDirectory = join(directory, 'data');
  const initdbArgs = ['-D', dataDirectory, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'];
  await promisify(execFile)(PROGRAMS.initdb.path, initdbArgs, { cwd: directory, uid: user?.uid, gid: user?.gid }).catch((error: { stderr?: string; message: string }) => {
    throw new Error(`initdb failed: ${error.stderr || error.message}`);
  });

  const server = ManagedProcess.start({
    name: 'postgres',
    command: PROGRAMS.postgres.path,
    args: [
      '-D', dataDirectory,
      '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
    ],
    cwd: directory,
    logFile: join(logDirectory, 'postgres.log'),
    user,
  });
  const serverUrl = `postgres://${SUPERUSER}@127.0.0.1:${port}`;
  await waitUntil(() => withClient(`${serverUrl}/postgres`, async () => true), `PostgreSQL to accept connections on port ${port}`, READY_TIMEOUT_MS, server);
  await recreateDatabase(serverUrl, DATABASE);
  return { process: server, serverUrl, databaseUrl: `${serverUrl}/${DATABASE}` };
}

/** Drops `name` (disconnecting its sessions) and creates it empty. */
export async function recreateDatabase(serverUrl: string, name: string): Promise<void> {
  const adminUrl = `${serverUrl}/postgres`;
  await dropDatabaseIfExists(adminUrl, name);
  await createDatabaseIfMissing(adminUrl, name);
}
