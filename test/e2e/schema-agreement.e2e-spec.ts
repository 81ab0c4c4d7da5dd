import { DataSource } from 'typeorm';
import { appEntities } from '../../src/app.entities';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Entities and migrations describe the same schema: on a freshly migrated database TypeORM's
 * schema builder finds nothing to change. A failure lists the statements it would run: write them
 * as a migration (`npm run migration:generate -- <Name>`) or correct the entity.
 */
describe('entities and migrations', () => {
  let testApp: TestApp;
  let standalone: DataSource;

  beforeAll(async () => {
    testApp = await startTestApp();
    standalone = await new DataSource(
      buildDataSourceOptions({ url: testApp.database.url, poolSize: 1, connectionTimeoutMs: 5000, entities: appEntities }),
    ).initialize();
  });

  afterAll(async () => {
    await standalone?.destroy();
    await testApp?.close();
  });

  it('leave the schema builder nothing to do after the migrations ran', async () => {
    const pending = await standalone.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('the feature modules register (forFeature) an entity for every table the migrations create, and no other', async () => {
    const tables: Array<{ name: string }> = await standalone.query(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY 1`,
    );
    const registered = testApp.dataSource.entityMetadatas.map((metadata) => metadata.tableName).sort();
    expect(registered).toEqual(tables.map((table) => table.name));
    expect(standalone.entityMetadatas.map((metadata) => metadata.tableName).sort()).toEqual(registered);
  });

  it('declare no relation that loads by itself', () => {
    const selfLoading = standalone.entityMetadatas.flatMap((metadata) =>
      metadata.relations.filter((relation) => relation.isLazy || relation.isEager).map((relation) => `${metadata.name}.${relation.propertyName}`),
    );
    expect(selfLoading).toEqual([]);
  });
});
