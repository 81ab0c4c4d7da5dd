import { randomBytes } from 'node:crypto';
import { dropDatabaseIfExists, withClient } from '../../src/database/postgres-admin';

export const TEMPLATE_DATABASE = 'venues_test_template';

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The server's maintenance database, from which others are created and dropped. */
export function adminUrlOf(serverUrl: string): string {
  return databaseUrl(serverUrl, 'postgres');
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A private clone of `template`: by default the migrated template, so each test file starts from
 * the same empty schema (`template0` gives a database with no schema at all).
 */
export async function createTestDatabase(template = TEMPLATE_DATABASE): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_SERVER_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_SERVER_URL is unset: run the tests through Jest (test/support/global-setup.ts)');
  const adminUrl = adminUrlOf(serverUrl);
  const name = `venues_test_${randomBytes(6).toString('hex')}`;
  // Raw: CREATE DATABASE … TEMPLATE is not in what TypeORM's createDatabase() sends.
  await withClient(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${admin.escapeIdentifier(template)}`));
  return { url: databaseUrl(serverUrl, name), drop: () => dropDatabaseIfExists(adminUrl, name) };
}
