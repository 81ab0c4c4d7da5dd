import { RateLimitedLog } from './rate-limited-log';

describe('RateLimitedLog', () => {
  it('writes the first report at once, then at most one per interval with the count it held back', () => {
    let now = 0;
    const lines: string[] = [];
    const log = new RateLimitedLog((line) => lines.push(line), 60_000, () => now);

    log.report('connection refused');
    for (let i = 0; i < 100; i++) {
      now += 500;
      log.report('connection refused');
    }
    expect(lines).toEqual(['connection refused']);

    now = 60_000;
    log.report('timeout');
    expect(lines).toEqual(['connection refused', 'timeout (and 100 more since the last report)']);

    now = 200_000;
    log.report('timeout');
    expect(lines[2]).toBe('timeout');
  });
});
