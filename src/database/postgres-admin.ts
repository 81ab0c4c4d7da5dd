import { Client } from 'pg';
import { DataSource } from 'typeorm';

/**
 * Server administration outside any DataSource (creating databases before one exists, the bench
 * and the local topology preparing theirs): one short-lived `pg` client per call.
 */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Drops database `name` if it exists, disconnecting its sessions first; `adminUrl` names another
 * database of the server.
 */
export async function dropDatabaseIfExists(adminUrl: string, name: string): Promise<void> {
  // Raw: WITH (FORCE), which disconnects the database's sessions first, is not in what TypeORM's dropDatabase() sends.
  await withClient(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`));
}

/**
 * Creates database `name` unless it exists; `adminUrl` names another database of the server, to
 * which an entity-less DataSource connects for TypeORM's own existence check and CREATE DATABASE.
 */
export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const admin = await new DataSource({ type: 'postgres', url: adminUrl, poolSize: 1 }).initialize();
  const runner = admin.createQueryRunner();
  try {
    await runner.createDatabase(name, true);
  } finally {
    await runner.release();
    await admin.destroy();
  }
}
