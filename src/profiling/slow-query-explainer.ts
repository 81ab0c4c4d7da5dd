import { Injectable, Logger } from '@nestjs/common';
import type { RequestProfile, SlowStatement } from './request-profile';
import { StatementPlanner } from './statement-planner';

const MAX_REMEMBERED = 1000;

/**
 * Logs each slow statement shape once, with its generic EXPLAIN plan (no bind value in its text:
 * a slow login look-up must not log an email address). The plan is taken after the response, by
 * the StatementPlanner on its own connection.
 */
@Injectable()
export class SlowQueryExplainer {
  private readonly logger = new Logger('SlowQuery');
  private readonly explained = new Set<string>();

  constructor(private readonly planner: StatementPlanner) {}

  inspect(profile: RequestProfile): void {
    for (const statement of profile.takeSlowStatements()) {
      if (this.explained.has(statement.normalizedSql) || this.explained.size >= MAX_REMEMBERED) continue;
      this.explained.add(statement.normalizedSql);
      void this.explain(statement, profile.route);
    }
  }

  private async explain(statement: SlowStatement, route: string): Promise<void> {
    let plan: string;
    try {
      plan = await this.planner.plan(statement.sql, 'text');
    } catch (error) {
      plan = `(no plan: ${error instanceof Error ? error.message : String(error)})`;
    }
    this.logger.warn({ msg: 'slow statement', route, durationMs: Math.round(statement.durationMs), sql: statement.normalizedSql, plan });
  }
}
