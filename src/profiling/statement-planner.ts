import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { outsideRequests } from '../request-context/request-context';

/** PostgreSQL 16 added EXPLAIN (GENERIC_PLAN). */
const GENERIC_PLAN_OPTION_SINCE = 160_000;
const PREPARED_NAME = 'venues_api_planned_statement';
/** A plan taking longer than this is not worth holding the planner's connection for. */
export const PLAN_TIMEOUT_MS = 2000;

interface PlannerConnection {
  client: Client;
  serverVersion: number;
}

export type PlanFormat = 'text' | 'json';

/**
 * Plans recorded statements on a connection of its own (never the pool's, so neither requests nor
 * the pool pay for it), one at a time. The plan is the generic one, with `$n` where a request had
 * values: PostgreSQL folds the bind values of a custom plan into its text, so no value is needed,
 * and none can leak into a log or a response. PostgreSQL 16+ says EXPLAIN (GENERIC_PLAN); older
 * servers prepare the statement with plan_cache_mode=force_generic_plan and explain its execution
 * with NULLs. Nothing is executed: never ANALYZE, and the session is read-only, with a statement
 * timeout.
 */
@Injectable()
export class StatementPlanner implements OnApplicationShutdown {
  private queue: Promise<unknown> = Promise.resolve();
  private connected: PlannerConnection | undefined;

  constructor(private readonly config: AppConfig) {}

  /** The generic plan of `sql` (with `$n` placeholders): its text, or PostgreSQL's JSON plan. */
  plan(sql: string, format: 'text'): Promise<string>;
  plan(sql: string, format: 'json'): Promise<unknown>;
  plan(sql: string, format: PlanFormat): Promise<unknown> {
    const planned = outsideRequests(() => this.queue.then(() => this.planNow(sql, format)));
    this.queue = planned.catch(() => undefined);
    return planned;
  }

  private async planNow(sql: string, format: PlanFormat): Promise<unknown> {
    const { client, serverVersion } = await this.connection();
    const options = format === 'json' ? 'FORMAT JSON' : 'FORMAT TEXT';
    // Raw: EXPLAIN of a recorded statement, on the planner's own connection; no builder says EXPLAIN.
    if (serverVersion >= GENERIC_PLAN_OPTION_SINCE) return planOf(await client.query(`EXPLAIN (GENERIC_PLAN, ${options}) ${sql}`), format);
    // Raw, one simple-protocol message (one round trip): forget a statement a failed plan left
    // prepared, prepare this one, explain its execution with NULLs; the last result is the plan.
    const parameterCount = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
    const nulls = parameterCount > 0 ? `(${Array.from({ length: parameterCount }, () => 'NULL').join(', ')})` : '';
    const results = await client.query(`DEALLOCATE ALL; PREPARE ${PREPARED_NAME} AS ${sql}; EXPLAIN (${options}) EXECUTE ${PREPARED_NAME}${nulls}`);
    return planOf((results as unknown as Array<{ rows: Array<Record<string, unknown>> }>).at(-1)!, format);
  }

  private async connection(): Promise<PlannerConnection> {
    if (!this.connected) {
      const client = new Client({
        connectionString: this.config.DATABASE_URL,
        application_name: 'venues-api-explain',
        options: `-c plan_cache_mode=force_generic_plan -c statement_timeout=${PLAN_TIMEOUT_MS} -c default_transaction_read_only=on`,
      });
      client.on('error', () => (this.connected = undefined));
      await client.connect();
      const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
      this.connected = { client, serverVersion: Number(rows[0].server_version_num) };
    }
    return this.connected;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue;
    await this.connected?.client.end().catch(() => undefined);
  }
}

function planOf(result: { rows: Array<Record<string, unknown>> }, format: PlanFormat): unknown {
  if (format === 'json') {
    const [document] = result.rows[0]['QUERY PLAN'] as unknown[];
    return document;
  }
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}
