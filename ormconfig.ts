import { DataSource } from 'typeorm';
import { appEntities } from './src/app.entities';
import { environmentWithDotEnv, loadAppConfig } from './src/config/app-config';
import { buildDataSourceOptions } from './src/database/data-source-options';
import { resolveDatabaseServer } from './src/database/database-server';

/**
 * The DataSource the TypeORM CLI uses (`npm run migration:run` / `migration:revert`): DATABASE_URL
 * when set, otherwise the embedded cluster under EMBEDDED_PG_DIR (started for the command; stop
 * `npm start` first, a cluster's data directory serves one server at a time).
 */
async function createCliDataSource(): Promise<DataSource> {
  const config = loadAppConfig(environmentWithDotEnv());
  const { url } = await resolveDatabaseServer(config, (line) => console.error(line));
  return new DataSource(
    buildDataSourceOptions({ url, poolSize: 2, connectionTimeoutMs: config.DB_CONNECTION_TIMEOUT_MS, entities: appEntities }),
  );
}

export default createCliDataSource();
