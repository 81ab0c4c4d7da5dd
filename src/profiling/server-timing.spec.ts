import { validateHeaderValue } from 'node:http';
import { RequestProfile, StageList } from './request-profile';
import { formatServerTiming, MAX_SERVER_TIMING_LENGTH } from './server-timing';

/** A cache hit's marks; `handler` records the explicit stages (before the headers go out). */
function cachedHit(handler: (profile: RequestProfile) => void = () => {}): RequestProfile {
  const profile = new RequestProfile('request-1', 'GET', '/v1/discovery/venues', { captureParams: false, slowQueryMs: 100, idleSessionMs: 50 });
  profile.handlerStartMs = 0.412;
  profile.recordValidation(0.45, 0.51);
  handler(profile);
  profile.handlerEndMs = 0.8731;
  profile.markHeadersSent(1.0123);
  profile.cache = 'hit';
  return profile;
}

/** The header of `profile` answered in `totalMs`, its stages listed as the profiler lists them. */
function serverTiming(profile: RequestProfile, totalMs: number): string {
  profile.totalMs = totalMs;
  return formatServerTiming(profile, new StageList().of(profile));
}

describe('formatServerTiming', () => {
  it('writes durations in milliseconds to one decimal, whole numbers without one', () => {
    expect(serverTiming(cachedHit(), 1.0123)).toBe(
      'total;dur=1, auth;dur=0.4, validation;dur=0.1, handler;dur=0.4, serialization;dur=0.1, db;dur=0;desc="0 queries", cache;desc=hit',
    );
  });

  it.each([
    [1, 'desc="1 query"'],
    [2, 'desc="2 queries"'],
    [99, 'desc="99 queries"'],
    [100, 'desc="100 queries"'],
    [1234, 'desc="1234 queries"'],
  ])('describes %d statements as %s', (count, description) => {
    const profile = cachedHit();
    profile.statementCount = count;
    expect(serverTiming(profile, 1)).toContain(`, db;dur=0;${description}, cache;desc=hit`);
  });

  it.each([
    [0, '0'],
    [0.04, '0'],
    [0.05, '0.1'],
    [0.96, '1'],
    [9.95, '10'],
    [12.34, '12.3'],
    [1234.56, '1234.6'],
  ])('rounds %p ms to %p', (totalMs, written) => {
    expect(serverTiming(cachedHit(), totalMs)).toMatch(new RegExp(`^total;dur=${written.replace('.', '\\.')}, `));
  });

  it('sums same-named stages and makes stage names tokens', () => {
    const profile = cachedHit((handler) => {
      handler.recordStage('load venue', 0.5, 0.7);
      handler.recordStage('load venue', 0.7, 0.8);
    });
    expect(serverTiming(profile, 1)).toContain(', load_venue;dur=0.3, db;');
  });

  it('shows pool_wait from the first queued checkout, with the waits of the checkouts acquired before the headers', () => {
    const profile = cachedHit((handler) => {
      handler.recordCheckout(0.5, 0.8, true, 'primary');
      handler.recordCheckout(0.6, 0.6, false, 'primary');
    });
    // Requested after the headers went out (at 1.0123), or before them and acquired after: not in
    // the header, nor in the stages the profile lists once they are out.
    profile.recordCheckout(2, 2.5, true, 'primary');
    profile.recordCheckout(0.9, 1.5, true, 'primary');

    expect(serverTiming(profile, 3)).toContain(', serialization;dur=0.1, pool_wait;dur=0.3, db;');
    expect(profile.allStages().filter((stage) => stage.name === 'pool_wait')).toEqual([{ name: 'pool_wait', startMs: 0.5, durationMs: expect.closeTo(0.3, 9) }]);
  });

  it('stays bounded whatever the stages: 24 stage entries, names cut to 40 characters', () => {
    const profile = cachedHit((handler) => {
      for (let index = 0; index < 200; index += 1) handler.recordStage(`stage-${index}-${'x'.repeat(60)}`, 0, 1);
    });
    const header = serverTiming(profile, 1);
    const stageEntries = header.split(', ').filter((entry) => entry.startsWith('stage-'));
    expect(stageEntries).toHaveLength(24 - 4);
    expect(stageEntries.every((entry) => entry === `${entry.split(';')[0].slice(0, 40)};dur=1`)).toBe(true);
    expect(header.length).toBeLessThanOrEqual(MAX_SERVER_TIMING_LENGTH);
    expect(header.endsWith(', db;dur=0;desc="0 queries", cache;desc=hit')).toBe(true);
  });

  it('writes the entries of stage names past the 256 it keeps', () => {
    const headers = Array.from({ length: 15 }, (_, batch) => {
      const profile = cachedHit((handler) => {
        for (let index = 0; index < 20; index += 1) handler.recordStage(`many-${batch}-${index}`, 0, 0.25 + index / 10);
      });
      return serverTiming(profile, 1);
    });
    // 300 names, shown 20 to a header: the last headers' names come after the kept ones.
    expect(headers[14]).toContain(', many-14-0;dur=0.3, many-14-1;dur=0.4, many-14-2;dur=0.5,');
    expect(headers[14]).toContain(', many-14-19;dur=2.2, db;dur=0;desc="0 queries", cache;desc=hit');
  });

  it('is a valid header value whatever the stage names (it is written to the header block unchecked)', () => {
    const profile = cachedHit((handler) => {
      handler.recordStage('load\r\nSet-Cookie: session=stolen', 0.5, 0.7);
      handler.recordStage('évaluer les créneaux', 0.7, 0.8);
      handler.recordStage('', 0.8, 0.9);
    });
    const header = serverTiming(profile, 1);
    expect(() => validateHeaderValue('Server-Timing', header)).not.toThrow();
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toContain(', load__Set-Cookie__session_stolen;dur=0.2, _valuer_les_cr_neaux;dur=0.1, stage;dur=0.1, db;');
  });

  it('answers a request with only the lifecycle stages from its memo as it would write it, whatever the durations and cache result', () => {
    /** One decimal, whole numbers without one: the header's own spelling, written independently. */
    const ms = (value: number) => String(Math.round(value * 10) / 10);
    const lifecycle = (validationStartMs: number, validationEndMs: number, handlerEndMs: number, headersMs: number, cache: 'hit' | 'miss' | undefined) => {
      const profile = new RequestProfile('request-1', 'GET', '/v1/discovery/venues', { captureParams: false, slowQueryMs: 100, idleSessionMs: 50 });
      profile.handlerStartMs = 0.31;
      profile.recordValidation(validationStartMs, validationEndMs);
      profile.handlerEndMs = handlerEndMs;
      profile.markHeadersSent(headersMs);
      profile.cache = cache;
      return profile;
    };
    const cacheEntries = { hit: ', cache;desc=hit', miss: ', cache;desc=miss', none: '' };
    // Durations on both sides of a tenth's rounding and of the memo key's bounds (12.8 ms total, 6.4 ms a stage, 0.8 ms validation).
    for (const validationMs of [0, 0.04, 0.05, 0.74, 0.76, 2.5])
      for (const handlerMs of [0.1, 6.34, 6.36, 40])
        for (const totalMs of [1.2, 12.74, 12.76, 900])
          for (const cache of ['hit', 'miss', undefined] as const) {
            const validationEnd = 0.4 + validationMs;
            const handlerEnd = validationEnd + handlerMs;
            const headers = handlerEnd + 0.2;
            // The durations as the profile derives them from its marks (0.4 + 0.05 - 0.4 is under 0.05 in doubles).
            const expected = `total;dur=${ms(totalMs)}, auth;dur=${ms(0.31)}, validation;dur=${ms(validationEnd - 0.4)}, handler;dur=${ms(handlerEnd - validationEnd)}, serialization;dur=${ms(headers - handlerEnd)}, db;dur=0;desc="0 queries"${cacheEntries[cache ?? 'none']}`;
            // Twice: written the first time, from the memo the second where it is memoized.
            for (let time = 0; time < 2; time += 1) expect(serverTiming(lifecycle(0.4, validationEnd, handlerEnd, headers, cache), totalMs)).toBe(expected);
          }
  });
});
