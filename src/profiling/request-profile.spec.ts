import { RequestProfile, type StageRecord } from './request-profile';

const OPTIONS = { captureParams: false, slowQueryMs: 100, idleSessionMs: 50 };

function answered(explicitStages: Array<[string, number, number]>): RequestProfile {
  const profile = new RequestProfile('request-1', 'GET', '/v1/venues/v-1', OPTIONS);
  profile.handlerStartMs = 0.5;
  for (const [name, startMs, endMs] of explicitStages) profile.recordStage(name, startMs, endMs);
  profile.handlerEndMs = 3;
  profile.markHeadersSent(3.5);
  return profile;
}

describe('RequestProfile.allStages', () => {
  it('lists the lifecycle stages, then the explicit ones the headers showed', () => {
    const profile = answered([['venue', 0.6, 1.6]]);
    profile.recordStage('after the headers', 3.6, 3.7);
    expect(profile.allStages()).toEqual([
      { name: 'auth', startMs: 0, durationMs: 0.5 },
      { name: 'handler', startMs: 0.5, durationMs: 2.5 },
      { name: 'serialization', startMs: 3, durationMs: 0.5 },
      { name: 'venue', startMs: 0.6, durationMs: 1 },
    ]);
  });

  it('writes over a list it is given, to its new length, leaving the profiles the old records came from unchanged', () => {
    const first = answered([
      ['venue', 0.6, 1.6],
      ['availability', 1.6, 2.2],
      ['viewer', 2.2, 2.9],
    ]);
    const list: StageRecord[] = [];
    first.allStages(list);
    expect(list).toHaveLength(6);

    const second = answered([]);
    expect(second.allStages(list)).toBe(list);
    expect(list).toEqual(second.allStages());
    expect(first.stages.map(({ name, durationMs }) => [name, Math.round(durationMs * 10) / 10])).toEqual([
      ['venue', 1],
      ['availability', 0.6],
      ['viewer', 0.7],
    ]);
    expect(first.allStages()).toHaveLength(6);
  });
});
