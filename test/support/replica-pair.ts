import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { POSTGRES_BIN, PROGRAMS } from '../../cluster/debian-packages';
import { ManagedProcess, waitUntil } from '../../cluster/managed-process';
import { freePorts } from '../../cluster/ports';
import { DATABASE, RunningPostgres, startPostgres, SUPERUSER } from '../../cluster/postgres-server';
import { withClient } from '../../src/database/postgres-admin';

const PG_BASEBACKUP = `${POSTGRES_BIN}/pg_basebackup`;
const READY_TIMEOUT_MS = 30_000;

/** Why the replica tests cannot run here, or undefined when they can. */
export function replicaPairUnavailable(): string | undefined {
  const missing = [PROGRAMS.postgres.path, PROGRAMS.initdb.path, PG_BASEBACKUP].filter((path) => !existsSync(path));
  if (missing.length === 0) return undefined;
  return `no PostgreSQL server binaries (${missing.join(', ')} missing; install ${PROGRAMS.postgres.debianPackage}): the read-replica tests are skipped`;
}

export interface ReplicaPair {
  primary: RunningPostgres;
  replica: { process: ManagedProcess; serverUrl: string; databaseUrl: string };
  /** Stops both servers and removes their directories. */
  stop(): Promise<void>;
}

/**
 * A primary (cluster/postgres-server.ts: initdb's trust rules already admit replication from
 * 127.0.0.1, and wal_level=replica is PostgreSQL 15's default) and a hot standby streaming from
 * it, made by `pg_basebackup -R` (which writes primary_conninfo and standby.signal). Both run as
 * the user that owns the primary's directory (`postgres` when the tests run as root) in a fresh
 * directory under the system temp directory, on free loopback ports.
 */
export async function startReplicaPair(): Promise<ReplicaPair> {
  const root = await mkdtemp(join(tmpdir(), 'venues-replica-pair-'));
  // The servers run as another user, who must reach their directories through this one.
  await chmod(root, 0o755);
  // Two of the free loopback ports the local topology would use; their names there do not matter here.
  const { postgres: primaryPort, redis: replicaPort } = await freePorts();
  let primary: RunningPostgres | undefined;
  let replica: ManagedProcess | undefined;
  const stop = async () => {
    await replica?.stop();
    await primary?.process.stop();
    await rm(root, { recursive: true, force: true });
  };
  try {
    const primaryDirectory = join(root, 'primary');
    primary = await startPostgres(primaryDirectory, root, primaryPort);
    const owner = await stat(primaryDirectory);
    const user = process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : undefined;

    const replicaDirectory = join(root, 'replica');
    await mkdir(replicaDirectory, { mode: 0o700 });
    if (user) await chown(replicaDirectory, user.uid, user.gid);
    const dataDirectory = join(replicaDirectory, 'data');
    const backupArgs = ['-D', dataDirectory, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync', '-h', '127.0.0.1', '-p', String(primaryPort), '-U', SUPERUSER];
    await promisify(execFile)(PG_BASEBACKUP, backupArgs, { cwd: replicaDirectory, uid: user?.uid, gid: user?.gid }).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`pg_basebackup failed: ${error.stderr || error.message}`);
    });
    replica = ManagedProcess.start({
      name: 'postgres-replica',
      command: PROGRAMS.postgres.path,
      args: ['-D', dataDirectory, '-p', String(replicaPort), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
      cwd: replicaDirectory,
      logFile: join(root, 'postgres-replica.log'),
      user,
    });
    const serverUrl = `postgres://${SUPERUSER}@127.0.0.1:${replicaPort}`;
    await waitUntil(
      // Raw: a server function read without a FROM, which TypeORM's query builder cannot send.
      () => withClient(`${serverUrl}/${DATABASE}`, async (client) => (await client.query('SELECT pg_is_in_recovery() AS standby')).rows[0].standby === true),
      `the replica to accept connections on port ${replicaPort}`,
      READY_TIMEOUT_MS,
      replica,
    );
    return { primary, replica: { process: replica, serverUrl, databaseUrl: `${serverUrl}/${DATABASE}` }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Waits until the replica has replayed everything the primary has written so far: the insert
 * position, since with synchronous_commit=off a commit may not yet be written when it returns.
 */
export async function waitForReplay(pair: ReplicaPair): Promise<void> {
  // Raw: a server function read without a FROM, which TypeORM's query builder cannot send.
  const target = await withClient(pair.primary.databaseUrl, async (client) => (await client.query('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0].lsn as string);
  await waitUntil(
    // Raw: as above.
    () => withClient(pair.replica.databaseUrl, async (client) => (await client.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught_up', [target])).rows[0].caught_up === true),
    `the replica to replay up to ${target}`,
    READY_TIMEOUT_MS,
    pair.replica.process,
  );
}
