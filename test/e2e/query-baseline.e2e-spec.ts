import { compareWithBaseline, expectQueryBaseline, expectStatementCountIndependentOfSize } from '../support/query-baseline';
import { ProfilingFixturesModule } from '../support/profiling-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('query baseline and scale check', () => {
  it('judges counts against the baseline', () => {
    const baseline = { 'detail: days=7': 4 };
    expect(compareWithBaseline(baseline, 'detail: days=7', 4).kind).toBe('equal');
    expect(compareWithBaseline(baseline, 'detail: days=7', 5)).toMatchObject({ kind: 'rose', message: expect.stringContaining('5 SQL statements, its baseline is 4') });
    expect(compareWithBaseline(baseline, 'detail: days=7', 3)).toMatchObject({ kind: 'fell', message: expect.stringContaining('lower it') });
    expect(compareWithBaseline(baseline, 'unknown scenario', 1).kind).toBe('missing');
  });

  describe('against real responses', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ imports: [ProfilingFixturesModule], env: { PROFILER_STRICT: 'false' } });
    });
    afterAll(() => t.close());

    it('holds a route to its committed count', async () => {
      expectQueryBaseline('profiler fixture: two statements', await t.http.get('/v1/_test/two-statements').expect(200));
    });

    it('fails when a route runs more statements than its baseline', async () => {
      const response = await t.http.get('/v1/_test/distinct-statements?n=3').expect(200);
      expect(() => expectQueryBaseline('profiler fixture: two statements', response)).toThrow(/now runs 3 SQL statements, its baseline is 2/);
    });

    it('passes the scale check for a batched route and fails it for an N+1', async () => {
      await expect(expectStatementCountIndependentOfSize(() => t.http.get('/v1/_test/two-statements'))).resolves.toBe(2);
      await expect(expectStatementCountIndependentOfSize((size) => t.http.get(`/v1/_test/n-plus-one/sequential?n=${size}`))).rejects.toThrow(
        'statement count grows with the data: 5 statements at size 5, 50 at size 50',
      );
    });
  });
});
