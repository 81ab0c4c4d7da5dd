import type { AppConfig } from '../config/app-config';
import type { RunningPostgres } from './embedded-postgres';

/**
 * The server in DATABASE_URL, or else the embedded PostgreSQL under EMBEDDED_PG_DIR. The embedded
 * one's code (and the embedded-postgres package, an optional dependency the Docker image leaves
 * out) is loaded only in the second case.
 */
export async function resolveDatabaseServer(config: AppConfig, announce: (line: string) => void): Promise<RunningPostgres> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, stop: async () => undefined };
  announce(`Starting embedded PostgreSQL (data in ${config.EMBEDDED_PG_DIR}, port ${config.EMBEDDED_PG_PORT})`);
  const { startEmbeddedPostgres } = await import('./embedded-postgres.js');
  return startEmbeddedPostgres({ dataDir: config.EMBEDDED_PG_DIR, port: config.EMBEDDED_PG_PORT, announce });
}
