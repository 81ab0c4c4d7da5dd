import { DataSource, MigrationExecutor } from 'typeorm';

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
    // Raw (here and for the unlock): a FROM-less SELECT of a server function, which no TypeORM builder emits.
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, session);
      executor.transaction = dataSource.options.migrationsTransactionMode ?? 'all';
      const ran = await executor.executePendingMigrations();
      return ran.map((migration) => migration.name);
    } finally {
      // Raw: as the lock above.
      await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await session.release();
  }
}
