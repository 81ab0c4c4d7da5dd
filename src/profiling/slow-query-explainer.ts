import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { outsideRequests } from '../request-context/request-context';
import type { RequestProfile, SlowStatement } from './request-profile';

const MAX_REMEMBERED = 1000;
/** PostgreSQL 16 added EXPLAIN (GENERIC_PLAN). */
const GENERIC_PLAN_OPTION_SINCE = 160_000;
const PREPARED_NAME = 'venues_api_slow_statement';

interface ExplainConnection {
  client: Client;
  serverVersion: number;
}

/**
 * Logs each slow statement shape once, with its EXPLAIN plan. The plan is taken after the
 * response, outside the request's context, on a connection of its own, so neither the request
 * nor the pool pays for it.
 *
 * The plan is the generic one, with `$n` where the request had values: PostgreSQL folds the bind
 * values of a custom plan into its text, and a slow login look-up would otherwise log an email
 * address. PostgreSQL 16+ says EXPLAIN (GENERIC_PLAN); older servers prepare the statement on a
 * session with plan_cache_mode=force_generic_plan and explain its execution with NULLs.
 */
@Injectable()
export class SlowQueryExplainer implements OnApplicationShutdown {
  private readonly logger = new Logger('SlowQuery');
  private readonly explained = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private connected: ExplainConnection | undefined;

  constructor(private readonly config: AppConfig) {}

  inspect(profile: RequestProfile): void {
    for (const statement of profile.slowStatements) {
      if (this.explained.has(statement.normalizedSql) || this.explained.size >= MAX_REMEMBERED) continue;
      this.explained.add(statement.normalizedSql);
      outsideRequests(() => {
        this.queue = this.queue.then(() => this.explain(statement, profile.route));
      });
    }
    profile.slowStatements.length = 0;
  }

  private async explain(statement: SlowStatement, route: string): Promise<void> {
    let plan: string;
    try {
      plan = await genericPlan(await this.connection(), statement.sql, statement.parameterCount);
    } catch (error) {
      plan = `(no plan: ${error instanceof Error ? error.message : String(error)})`;
    }
    this.logger.warn({ msg: 'slow statement', route, durationMs: Math.round(statement.durationMs), sql: statement.normalizedSql, plan });
  }

  private async connection(): Promise<ExplainConnection> {
    if (!this.connected) {
      const client = new Client({
        connectionString: this.config.DATABASE_URL,
        application_name: 'venues-api-explain',
        options: '-c plan_cache_mode=force_generic_plan',
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

/** The plan of `sql` (with `parameterCount` placeholders) for any values: no value is in its text. */
async function genericPlan({ client, serverVersion }: ExplainConnection, sql: string, parameterCount: number): Promise<string> {
  // EXPLAIN of a recorded statement, on a connection outside the pool: no builder says EXPLAIN.
  if (serverVersion >= GENERIC_PLAN_OPTION_SINCE) return planText(await client.query(`EXPLAIN (GENERIC_PLAN) ${sql}`));
  await client.query(`PREPARE ${PREPARED_NAME} AS ${sql}`);
  try {
    const nulls = parameterCount > 0 ? `(${Array.from({ length: parameterCount }, () => 'NULL').join(', ')})` : '';
    return planText(await client.query(`EXPLAIN EXECUTE ${PREPARED_NAME}${nulls}`));
  } finally {
    await client.query(`DEALLOCATE ${PREPARED_NAME}`);
  }
}

function planText(result: { rows: Array<Record<string, string>> }): string {
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}
