import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The committed statement count of every endpoint scenario (test/query-budgets.json). A count
 * that rises fails the suite; one that falls asks for the baseline to be lowered, so a gain is
 * locked in.
 */
export const BASELINE_FILE = join(__dirname, '..', 'query-budgets.json');

export type BaselineVerdict =
  | { kind: 'equal' }
  | { kind: 'missing'; message: string }
  | { kind: 'rose'; message: string }
  | { kind: 'fell'; message: string };

export function compareWithBaseline(baseline: Record<string, number>, scenario: string, actual: number): BaselineVerdict {
  const expected = baseline[scenario];
  if (expected === undefined) {
    return { kind: 'missing', message: `no query baseline for "${scenario}": add "${scenario}": ${actual} to test/query-budgets.json` };
  }
  if (actual > expected) {
    return {
      kind: 'rose',
      message: `"${scenario}" now runs ${actual} SQL statements, its baseline is ${expected}: find the new statement (the X-Request-Id's profile lists them) or justify raising test/query-budgets.json`,
    };
  }
  if (actual < expected) {
    return {
      kind: 'fell',
      message: `"${scenario}" now runs ${actual} SQL statements, fewer than its baseline ${expected}: lower it in test/query-budgets.json (or run UPDATE_QUERY_BASELINE=1 npm test)`,
    };
  }
  return { kind: 'equal' };
}

function readBaseline(): Record<string, number> {
  return JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as Record<string, number>;
}

/** Asserts a response's X-Query-Count against the committed baseline of `scenario`. */
export function expectQueryBaseline(scenario: string, response: { headers: Record<string, string> }): void {
  const header = response.headers['x-query-count'];
  if (header === undefined) throw new Error(`"${scenario}": the response has no X-Query-Count header`);
  const actual = Number(header);
  const verdict = compareWithBaseline(readBaseline(), scenario, actual);
  if (verdict.kind === 'missing' || verdict.kind === 'rose') throw new Error(verdict.message);
  if (verdict.kind === 'fell') {
    if (process.env.UPDATE_QUERY_BASELINE === '1') {
      writeFileSync(BASELINE_FILE, `${JSON.stringify({ ...readBaseline(), [scenario]: actual }, null, 2)}\n`);
    } else {
      process.stderr.write(`query baseline: ${verdict.message}\n`);
    }
  }
}

/**
 * Runs one endpoint at two data sizes and asserts the statement count does not grow with the
 * size: the signature of a batched implementation (an N+1 grows linearly).
 */
export async function expectStatementCountIndependentOfSize(
  fetchAtSize: (size: number) => Promise<{ status: number; headers: Record<string, string> }>,
  sizes: [number, number] = [5, 50],
): Promise<number> {
  const [small, large] = [await fetchAtSize(sizes[0]), await fetchAtSize(sizes[1])];
  for (const response of [small, large]) {
    if (response.status !== 200) throw new Error(`scale check: expected 200, got ${response.status}`);
  }
  const counts = [small, large].map((response) => Number(response.headers['x-query-count']));
  if (counts[0] !== counts[1]) {
    throw new Error(`statement count grows with the data: ${counts[0]} statements at size ${sizes[0]}, ${counts[1]} at size ${sizes[1]}`);
  }
  return counts[0];
}
