import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, SQL_SNAPSHOTS, SqlSnapshotRenderer } from './sql-snapshots';

/**
 * `npm run sql:snapshots [RepositoryName…]`: rewrites the committed SQL of every repository (or
 * of those named) from its @GenerateSql examples. No database is needed.
 */
async function main(names: string[]): Promise<void> {
  const renderer = await SqlSnapshotRenderer.create();
  try {
    for (const { repository, file } of SQL_SNAPSHOTS) {
      if (names.length > 0 && !names.includes(repository.name)) continue;
      writeFileSync(join(PROJECT_ROOT, file), await renderer.render(repository));
      console.log(`wrote ${file}`);
    }
  } finally {
    await renderer.dispose();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
