import { sqlExamplesOf } from '../common/generate-sql.decorator';
import { methodsOf, readSnapshot, SQL_SNAPSHOTS, SqlSnapshotRenderer } from './sql-snapshots';

/**
 * The SQL each repository method generates is committed beside it. A query change fails here
 * until `npm run sql:snapshots` rewrites the file; this test never writes one.
 */
describe('committed SQL snapshots', () => {
  let renderer: SqlSnapshotRenderer;

  beforeAll(async () => {
    renderer = await SqlSnapshotRenderer.create();
  });

  afterAll(() => renderer?.dispose());

  describe.each(SQL_SNAPSHOTS.map(({ repository, file }) => [repository.name, repository, file] as const))('%s', (_name, repository, file) => {
    it('has @GenerateSql examples for every method', () => {
      const covered = sqlExamplesOf(repository);
      expect(methodsOf(repository).filter((method) => !covered.get(method)?.length)).toEqual([]);
    });

    it(`matches ${file}`, async () => {
      const committed = readSnapshot(file);
      if (committed === undefined) throw new Error(`${file} is missing: run \`npm run sql:snapshots\` and commit it`);
      const generated = await renderer.render(repository);
      if (generated !== committed) {
        throw new Error(`the SQL of ${repository.name} differs from ${file}: review the diff of \`npm run sql:snapshots\`, then commit it\n` + diffSummary(committed, generated));
      }
    });
  });
});

/** The first differing line, with its neighbours, so the failure shows what changed. */
function diffSummary(committed: string, generated: string): string {
  const before = committed.split('\n');
  const after = generated.split('\n');
  const line = before.findIndex((text, index) => text !== after[index]);
  const at = line === -1 ? Math.min(before.length, after.length) : line;
  const around = (lines: string[]) => lines.slice(Math.max(0, at - 2), at + 3).join('\n');
  return `first difference at line ${at + 1}\n--- committed\n${around(before)}\n+++ generated\n${around(after)}`;
}
