import { Client } from 'pg';

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

/** Creates database `name` unless it exists; `adminUrl` names another database of the server. */
export function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  return withClient(adminUrl, async (client) => {
    // Raw: a bare pg client, since no DataSource exists yet (this creates its database), and CREATE DATABASE is DDL.
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
}
