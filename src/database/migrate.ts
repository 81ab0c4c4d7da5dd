import { DataSource, MigrationExecutor, QueryRunner } from 'typeorm';

/**
 * The session-level advisory lock every process takes before migrating: 0x76656e756573, "venues"
 * in ASCII. Advisory locks are scoped to the current database, so one key serves every database.
 */
export const MIGRATION_LOCK_KEY = 0x76656e756573;

/**
 * Runs the pending migrations while holding MIGRATION_LOCK_KEY, so processes starting together on
 * one database migrate once: the first runs them, the others wait for the lock and then find
 * nothing pending. Returns the names of the migrations this call ran.
 *
 * The migrations run on the session that holds the lock rather than through
 * `dataSource.runMigrations()`, which checks out a second connection: with a pool of one (the
 * seed CLI, DB_POOL_SIZE=1) that checkout would wait for ever behind the lock's. A process that
 * dies while holding the lock loses its session, and PostgreSQL releases the lock with it.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const session = dataSource.createQueryRunner();
  try {
    await runLockFunction(dataSource, session, 'pg_advisory_lock');
    try {
      const executor = new MigrationExecutor(dataSource, session);
      executor.transaction = dataSource.options.migrationsTransactionMode ?? 'all';
      const ran = await executor.executePendingMigrations();
      return ran.map((migration) => migration.name);
    } finally {
      await runLockFunction(dataSource, session, 'pg_advisory_unlock');
    }
  } finally {
    await session.release();
  }
}

/** Takes or gives back MIGRATION_LOCK_KEY on `session`: a server function selected from TypeORM's dummy table. */
function runLockFunction(dataSource: DataSource, session: QueryRunner, lockFunction: 'pg_advisory_lock' | 'pg_advisory_unlock'): Promise<unknown> {
  return dataSource.createQueryBuilder(session).select(`${lockFunction}(:key)`, 'done').fromDummy().setParameter('key', MIGRATION_LOCK_KEY).getRawOne();
}
