import { DataSource } from 'typeorm';
import { appEntities } from './src/app.entities';
import { environmentWithDotEnv, loadAppConfig } from './src/config/app-config';
import { buildDataSourceOptions } from './src/database/data-source-options';
import { startEmbeddedPostgres } from './src/database/embedded-postgres';

/**
 * The DataSource the TypeORM CLI uses (`npm run migration:run` / `migration:revert`): DATABASE_URL
 * when set, otherwise the embedded cluster under EMBEDDED_PG_DIR (started for the command; stop
 * `npm start` first, a cluster's data directory serves one server at a time).
 */
async function createCliDataSource(): Promise<DataSource> {
  const config = loadAppConfig(environmentWithDotEnv());
  const url =
    config.DATABASE_URL ??
    (await startEmbeddedPostgres({ dataDir: config.EMBEDDED_PG_DIR, port: config.EMBEDDED_PG_PORT })).url;
  return new DataSource(
    buildDataSourceOptions({ url, poolSize: 2, connectionTimeoutMs: config.DB_CONNECTION_TIMEOUT_MS, entities: appEntities }),
  );
}

export default createCliDataSource();
