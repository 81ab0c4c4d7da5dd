import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { currentRequestContext, extendRequestContext } from '../request-context/request-context';

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
  constructor(private readonly dataSource: DataSource) {}

  /** The open session's QueryRunner, for query builders (`repository.createQueryBuilder(alias, runner)`); undefined outside one. */
  get queryRunner(): QueryRunner | undefined {
    return currentRequestContext()?.session as QueryRunner | undefined;
  }

  /** The open session's EntityManager, else the data source's. */
  get manager(): EntityManager {
    return this.queryRunner?.manager ?? this.dataSource.manager;
  }

  /** Runs `work` on one session, released when it settles (before the caller builds its response). Nested calls join it. */
  async inSession<T>(work: () => Promise<T>): Promise<T> {
    if (this.queryRunner) return work();
    const runner = this.dataSource.createQueryRunner();
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
}
