import { SetMetadata } from '@nestjs/common';

export const QUERY_BUDGET = 'profiling:query-budget';

/**
 * The most SQL statements (transaction control not counted) one request to this handler may run.
 * Over budget: a 500 in strict mode (tests), else one warning line and a metric.
 */
export const QueryBudget = (maxStatements: number) => SetMetadata(QUERY_BUDGET, maxStatements);
