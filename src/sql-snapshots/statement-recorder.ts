import type { DataSource } from 'typeorm';
import { isTransactionControl } from '../profiling/sql-normalizer';
import { createDetachedDataSource } from './detached-data-source';

/** A statement as the driver would receive it. */
export interface RecordedStatement {
  sql: string;
  parameters: unknown[];
}


/**
 * A detached DataSource whose sessions record what they are asked to run and answer with the
 * rows queued for the call (none by default), so a repository method runs without a database.
 */
export class StatementRecorder {
  readonly statements: RecordedStatement[] = [];
  private answers: unknown[][] = [];

  private constructor() {}

  static async create(): Promise<{ recorder: StatementRecorder; dataSource: DataSource }> {
    const recorder = new StatementRecorder();
    const dataSource = await createDetachedDataSource(async () => ({
      send: async (sql, parameters) => recorder.record(sql, parameters),
      release: async () => undefined,
    }));
    return { recorder, dataSource };
  }

  /** Starts a new call: forgets earlier statements and queues the rows its statements answer. */
  reset(answers: unknown[][] = []): void {
    this.statements.length = 0;
    this.answers = [...answers];
  }

  private record(sql: string, parameters: unknown[]): unknown[] {
    // Transaction control is TypeORM's, not the repository's: the snapshots leave it out.
    if (isTransactionControl(sql)) return [];
    this.statements.push({ sql, parameters });
    return this.answers.shift() ?? [];
  }
}
