/*
 * Part of the LEGACY REFERENCE (bench/legacy): the original's data access, deliberately kept the
 * way the seed write-up describes it. Every helper opens a session of its own from a pool of 5,
 * so one request checks out several connections and concurrent requests queue for them. Only the
 * counting (statements and sessions per request, reported like the API's profiler headers) is
 * bench instrumentation. Never imported by src/.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Pool } from 'pg';

/** Statements and pool checkouts of the current request. */
export class RequestTally {
  statements = 0;
  sessions = 0;
}

const tallies = new AsyncLocalStorage<RequestTally>();

/** Runs `next` (the rest of the request) with a fresh tally. */
export function withTally(next: () => void): void {
  tallies.run(new RequestTally(), next);
}

export function currentTally(): RequestTally | undefined {
  return tallies.getStore();
}

export type Row = Record<string, any>;
export type Sql = <T extends Row = Row>(text: string, values?: unknown[]) => Promise<T[]>;

/** "Under a pool of 5, concurrent requests queued for connections." */
const POOL_SIZE = 5;

export class LegacyDatabase {
  private readonly pool: Pool;

  constructor(url: string) {
    this.pool = new Pool({ connectionString: url, max: POOL_SIZE, application_name: 'venues-bench-legacy' });
  }

  /** A connection of its own for `work`: the original's helpers each opened one. */
  async session<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const tally = currentTally();
    const client = await this.pool.connect();
    if (tally) tally.sessions += 1;
    const sql: Sql = async <R extends Row>(text: string, values?: unknown[]) => {
      if (tally) tally.statements += 1;
      // Raw: the legacy reference is the original's hand-written SQL, kept as it was to be measured against.
      return (await client.query<R>(text, values)).rows;
    };
    try {
      return await work(sql);
    } finally {
      client.release();
    }
  }
}
