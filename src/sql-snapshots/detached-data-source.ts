import { DataSource, QueryRunner } from 'typeorm';
import { Broadcaster } from 'typeorm/subscriber/Broadcaster';
import { appEntities } from '../app.entities';

/** Where a detached QueryRunner's statements go: one database session, or a recorder. */
export interface StatementSession {
  /** Sends one statement as the driver would, answering its rows. */
  send(sql: string, parameters: unknown[]): Promise<unknown[]>;
  release(): Promise<void>;
}

/**
 * A DataSource with the app's entity metadata but no pool of its own: each QueryRunner it hands
 * out sends its statements to a session from `openSession`, opened at its first statement and
 * closed at release, as TypeORM's own runners check a connection out of the pool. Query builders,
 * EntityManager.query and transactions all go through it, so the repositories run unchanged
 * (the SQL snapshots record them; the bench's raw implementation sends them through bare `pg`).
 */
export async function createDetachedDataSource(openSession: () => Promise<StatementSession>): Promise<DataSource> {
  const dataSource = new DataSource({ type: 'postgres', entities: appEntities });
  // Metadata only: buildMetadatas is what initialize() does after connecting.
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  dataSource.createQueryRunner = () => detachedQueryRunner(dataSource, openSession);
  return dataSource;
}

function detachedQueryRunner(dataSource: DataSource, openSession: () => Promise<StatementSession>): QueryRunner {
  let session: Promise<StatementSession> | undefined;
  const sendTransactionControl = async (sql: string) => {
    await (session ??= openSession()).then((open) => open.send(sql, []));
  };
  const runner = {
    connection: dataSource,
    dataSource,
    isReleased: false,
    isTransactionActive: false,
    data: {},
    async connect() {
      return (session ??= openSession());
    },
    async release() {
      runner.isReleased = true;
      if (session) await (await session).release();
    },
    async startTransaction() {
      await sendTransactionControl('START TRANSACTION');
      runner.isTransactionActive = true;
    },
    async commitTransaction() {
      await sendTransactionControl('COMMIT');
      runner.isTransactionActive = false;
    },
    async rollbackTransaction() {
      await sendTransactionControl('ROLLBACK');
      runner.isTransactionActive = false;
    },
    async query(sql: string, parameters: unknown[] = [], structured = false) {
      const rows = await (await (session ??= openSession())).send(sql, parameters);
      return structured ? { records: rows, raw: rows, affected: rows.length } : rows;
    },
  } as unknown as QueryRunner & { isReleased: boolean; isTransactionActive: boolean };
  Object.assign(runner, { manager: dataSource.createEntityManager(runner), broadcaster: new Broadcaster(runner) });
  return runner;
}
