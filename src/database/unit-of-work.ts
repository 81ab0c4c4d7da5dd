import { Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { currentRequestContext, extendRequestContext } from '../request-context/request-context';
import { ReadReplicas } from './read-replicas';
import { WalPosition } from './wal-position';

export interface SessionOptions {
  /**
   * Read-only work that may run on a read replica (discovery, reference reads; never a user's own
   * data). A replica is taken only when it is up, within DATABASE_REPLICA_MAX_LAG_MS, and has
   * replayed `notBefore` when given; otherwise, and without replicas, the session is on the primary.
   */
  replica?: { notBefore?: WalPosition };
}

/**
 * The database session repositories run on. Services mark where one session (or one transaction)
 * spans several repository calls; repositories read the open session from here, so no service
 * touches a QueryRunner or an EntityManager, and a detail or a discovery page stays one pool
 * checkout whatever the number of statements. Outside a session each statement checks out a
 * connection of its own. The open session travels in the request context: one AsyncLocalStorage
 * for everything a request carries, since on Node 20 each active one costs on every promise.
 */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    // Absent where repositories run detached from the app (SQL snapshots, the bench): no replicas there.
    @Optional() private readonly replicas?: ReadReplicas,
  ) {}

  /** The open session's QueryRunner, for query builders (`repository.createQueryBuilder(alias, runner)`); undefined outside one. */
  get queryRunner(): QueryRunner | undefined {
    return currentRequestContext()?.session as QueryRunner | undefined;
  }

  /** The open session's EntityManager, else the data source's. */
  get manager(): EntityManager {
    return this.queryRunner?.manager ?? this.dataSource.manager;
  }

  /** Runs `work` on one session, released when it settles (before the caller builds its response). Nested calls join it. */
  async inSession<T>(work: () => Promise<T>, options: SessionOptions = {}): Promise<T> {
    if (this.queryRunner) return work();
    const runner = await this.connectedRunner(options);
    try {
      return await extendRequestContext({ session: runner }, work);
    } finally {
      await runner.release();
    }
  }

  /** Runs `work` in one transaction on one session; a throw rolls all of it back. */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => extendRequestContext({ session: manager.queryRunner! }, work));
  }

  /** A replica that cannot be reached is skipped at once (and until its background check succeeds): the read runs on the primary. */
  private async connectedRunner(options: SessionOptions): Promise<QueryRunner> {
    const replica = options.replica && this.replicas?.choose(options.replica.notBefore);
    if (replica) {
      const runner = replica.dataSource.createQueryRunner();
      try {
        await runner.connect();
        return runner;
      } catch (error) {
        await runner.release();
        this.replicas!.markDown(replica.name, error);
      }
    }
    return this.dataSource.createQueryRunner();
  }
}
