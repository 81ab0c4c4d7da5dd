import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';

/** Placeholder replaced by the seed work in progress: reports whether demo logins exist. */
export async function seedDemoIfEmpty(dataSource: DataSource, _config: AppConfig): Promise<boolean> {
  const rows: unknown[] = await dataSource.query(`SELECT 1 FROM users WHERE lower(email) = 'demo@example.com'`);
  return rows.length > 0;
}
