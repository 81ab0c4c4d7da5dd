import type { QueryRunner } from 'typeorm';

interface DeferredDefinition {
  dropStatement: string;
  restoreStatement: string;
}

/**
 * Loads the way pg_restore does: the keys, foreign keys and indexes of `tables` are dropped before
 * the load and rebuilt after it (by the function this returns), so PostgreSQL sorts and checks once in bulk instead of once a
 * row (measured on medium: bookings went from ~38 s to ~6 s). CHECK constraints stay. The
 * definitions are read from the catalog, so the migrations remain the only place they are
 * written down. Run inside a transaction: a failed load or a violated constraint rolls it all back.
 */
export async function dropKeysAndIndexes(runner: Pick<QueryRunner, 'query'>, tables: readonly string[]): Promise<() => Promise<void>> {
  // System catalogs and DDL: outside any entity.
  const deferred: DeferredDefinition[] = await runner.query(
    `SELECT "dropStatement", "restoreStatement" FROM (
       -- Foreign keys from or to the tables: dropped first (they depend on the keys), restored last.
       SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname) AS "dropStatement",
              format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) AS "restoreStatement",
              3 AS drop_order
         FROM pg_constraint
        WHERE contype = 'f' AND (conrelid = ANY($1::regclass[]) OR confrelid = ANY($1::regclass[]))
       UNION ALL
       SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
              format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)),
              2
         FROM pg_constraint
        WHERE contype IN ('p', 'u') AND conrelid = ANY($1::regclass[])
       UNION ALL
       SELECT format('DROP INDEX %s', indexrelid::regclass), pg_get_indexdef(indexrelid), 1
         FROM pg_index
        WHERE indrelid = ANY($1::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = pg_index.indexrelid AND contype IN ('p', 'u', 'x'))
     ) AS definitions
     ORDER BY drop_order DESC`,
    [tables],
  );
  // DDL read back from the catalog above: dropped and restored verbatim.
  for (const { dropStatement } of deferred) await runner.query(dropStatement);
  return async () => {
    for (const { restoreStatement } of [...deferred].reverse()) await runner.query(restoreStatement);
  };
}
