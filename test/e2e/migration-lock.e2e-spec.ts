import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { migrate } from '../../src/database/migrate';
import { migrations } from '../../src/database/migrations';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

const ROUNDS = [1, 2, 3, 4, 5];
const EVERY_MIGRATION_ONCE = migrations.map((migration) => ({ name: migration.name, runs: 1 }));

/** A database with no schema at all (template0), unlike the migrated clones the other files use. */
const createEmptyDatabase = () => createTestDatabase('template0');

async function migrationRuns(url: string): Promise<Array<{ name: string; runs: number }>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query('SELECT name, count(*)::int AS runs FROM migrations GROUP BY name ORDER BY min(id)');
    return result.rows;
  } finally {
    await client.end();
  }
}

describe('migrations at start-up, under an advisory lock', () => {
  it.each(ROUNDS)('round %i: two app instances started at the same moment on an empty database both start; each migration runs once', async () => {
    const database = await createEmptyDatabase();
    const started: TestApp[] = [];
    try {
      const results = await Promise.allSettled([startTestApp({ database }), startTestApp({ database })]);
      for (const result of results) if (result.status === 'fulfilled') started.push(result.value);
      expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started'))).toEqual(['started', 'started']);
      for (const app of started) await app.http.get('/health/ready').expect(200);
      expect(await migrationRuns(database.url)).toEqual(EVERY_MIGRATION_ONCE);
    } finally {
      for (const app of started) await app.close();
      await database.drop();
    }
  });

  it('four DataSources with a pool of one connection each migrate one empty database together', async () => {
    const database = await createEmptyDatabase();
    const dataSources = [1, 2, 3, 4].map(
      () => new DataSource(buildDataSourceOptions({ url: database.url, poolSize: 1, connectionTimeoutMs: 5000 })),
    );
    try {
      await Promise.all(dataSources.map((dataSource) => dataSource.initialize()));
      const ran = await Promise.all(dataSources.map((dataSource) => migrate(dataSource)));
      // One of them ran everything; the others found nothing pending once they held the lock.
      expect(ran.map((names) => names.length).sort()).toEqual([0, 0, 0, migrations.length]);
      expect(await migrationRuns(database.url)).toEqual(EVERY_MIGRATION_ONCE);
    } finally {
      await Promise.all(dataSources.filter((dataSource) => dataSource.isInitialized).map((dataSource) => dataSource.destroy()));
      await database.drop();
    }
  });
});
