import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { outsideRequests } from '../request-context/request-context';
import type { RequestProfile, SlowStatement } from './request-profile';

const MAX_REMEMBERED = 1000;

/**
 * Logs each slow statement shape once, with its EXPLAIN plan. The plan is taken after the
 * response, outside the request's context, on a connection of its own, so neither the request
 * nor the pool pays for it.
 */
@Injectable()
export class SlowQueryExplainer implements OnApplicationShutdown {
  private readonly logger = new Logger('SlowQuery');
  private readonly explained = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private client: Client | undefined;

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
      const client = await this.connection();
      // EXPLAIN of a recorded statement, on a connection outside the pool: no builder says EXPLAIN.
      const result = await client.query(`EXPLAIN ${statement.sql}`, statement.params);
      plan = result.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
    } catch (error) {
      plan = `(no plan: ${error instanceof Error ? error.message : String(error)})`;
    }
    this.logger.warn({ msg: 'slow statement', route, durationMs: Math.round(statement.durationMs), sql: statement.normalizedSql, plan });
  }

  private async connection(): Promise<Client> {
    if (!this.client) {
      const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'venues-api-explain' });
      client.on('error', () => (this.client = undefined));
      await client.connect();
      this.client = client;
    }
    return this.client;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue;
    await this.client?.end().catch(() => undefined);
  }
}
