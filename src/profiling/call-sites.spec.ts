import { CallSites, FIRST_RUNS_PER_SHAPE, REPEATS_PER_REQUEST, RUNS_AFTER_SLOW, SLOW_REARM_MS } from './call-sites';

const SHAPE = 'SELECT venue.id FROM venues venue WHERE venue.id = $1';

/** How many of `runs` first runs of SHAPE in their requests (no repeat within a request) get a captured stack. */
function capturedOf(callSites: CallSites, runs: number): number {
  let captured = 0;
  for (let run = 0; run < runs; run += 1) if (callSites.wants(SHAPE, 0)) captured += 1;
  return captured;
}

describe('CallSites.wants', () => {
  it('captures the first runs of a shape in the process, then none', () => {
    const callSites = new CallSites();
    expect(capturedOf(callSites, FIRST_RUNS_PER_SHAPE + 30)).toBe(FIRST_RUNS_PER_SHAPE);
    expect(callSites.wants('SELECT 2', 0)).toBe(true);
  });

  it('captures repeats of a shape within a request up to REPEATS_PER_REQUEST', () => {
    const callSites = new CallSites();
    capturedOf(callSites, FIRST_RUNS_PER_SHAPE);
    expect(callSites.wants(SHAPE, REPEATS_PER_REQUEST)).toBe(true);
    expect(callSites.wants(SHAPE, REPEATS_PER_REQUEST + 1)).toBe(false);
  });

  it('captures the next runs of a shape that was slow, and re-arms a shape that stays slow at most once per SLOW_REARM_MS', () => {
    let nowMs = 1_000;
    const callSites = new CallSites(() => nowMs);
    capturedOf(callSites, FIRST_RUNS_PER_SHAPE);

    callSites.markSlow(SHAPE);
    expect(capturedOf(callSites, RUNS_AFTER_SLOW + 10)).toBe(RUNS_AFTER_SLOW);

    // Under overload every run is slow: marking it again and again captures nothing more…
    nowMs += SLOW_REARM_MS - 1;
    for (let run = 0; run < 100; run += 1) callSites.markSlow(SHAPE);
    expect(capturedOf(callSites, 100)).toBe(0);

    // …until the interval has passed.
    nowMs += 1;
    callSites.markSlow(SHAPE);
    expect(capturedOf(callSites, 100)).toBe(RUNS_AFTER_SLOW);
  });
});
