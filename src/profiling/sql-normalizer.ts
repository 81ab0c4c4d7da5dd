const TRANSACTION_CONTROL = /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|SET\s+TRANSACTION)\b/i;

/** BEGIN/COMMIT/ROLLBACK/SAVEPOINT and friends: counted apart from the budgeted statements. */
export function isTransactionControl(sql: string): boolean {
  return TRANSACTION_CONTROL.test(sql);
}

/** The app sends a few hundred distinct statement texts; a flood of others stops being remembered. */
const MAX_REMEMBERED_TEXTS = 5000;
const normalizedTexts = new Map<string, string>();

/**
 * The shape of a statement with every value removed, so that the same query with other values
 * groups together (N+1 detection, slow-query dedup) and no data ever reaches a profile.
 * Remembered per text: the regular expressions took 20-26 µs on a 2 KB discovery statement,
 * paid again by every request that sent it.
 */
export function normalizeSql(sql: string): string {
  let normalized = normalizedTexts.get(sql);
  if (normalized === undefined) {
    normalized = normalizeText(sql);
    if (normalizedTexts.size < MAX_REMEMBERED_TEXTS) normalizedTexts.set(sql, normalized);
  }
  return normalized;
}

function normalizeText(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$\d+/g, '?')
    .replace(/(?<![\w."])-?\d+(?:\.\d+)?(?![\w"])/g, '?')
    .replace(/\s+/g, ' ')
    .replace(/\(\s*\?(?:\s*,\s*\?)+\s*\)/g, '(?...)')
    .trim();
}
