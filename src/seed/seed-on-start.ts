import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { DEMO_LOGINS } from '../auth/demo-logins';
import { User } from '../auth/entities/user.entity';
import { SCALES } from './scales';
import { seedDatabase } from './seed-database';

/**
 * Seeds the `demo` dataset when the venues table is empty, so `npm start` on a bare machine has
 * something to show. Demo logins are never created in production. Returns whether the demo
 * logins exist, for the start-up banner.
 */
export async function seedDemoIfEmpty(dataSource: DataSource, config: AppConfig): Promise<boolean> {
  const result = await seedDatabase(dataSource, {
    scale: SCALES.demo,
    demoLogins: !config.isProduction,
    onlyIfEmpty: true,
  });
  if (result.seeded) {
    const rows = result.tables.reduce((total, table) => total + table.rows, 0);
    new Logger('Seed').log(`Seeded the demo dataset (${rows} rows) in ${(result.ms / 1000).toFixed(1)}s`);
  }
  return demoLoginsExist(dataSource);
}

async function demoLoginsExist(dataSource: DataSource): Promise<boolean> {
  const found = await dataSource
    .getRepository(User)
    .createQueryBuilder('user')
    .where('lower(user.email) = ANY(:emails::text[])', { emails: DEMO_LOGINS.map((login) => login.email) })
    .getCount();
  return found === DEMO_LOGINS.length;
}
