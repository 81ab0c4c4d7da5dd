import { todayUtc } from './calendar-date';

describe('todayUtc', () => {
  afterEach(() => jest.useRealTimers());

  it('is the UTC date, and changes at UTC midnight though it is formatted once a day', () => {
    jest.useFakeTimers({ now: new Date('2026-11-30T23:59:59.000Z') });
    expect(todayUtc()).toBe('2026-11-30');
    expect(todayUtc()).toBe('2026-11-30');
    jest.setSystemTime(new Date('2026-12-01T00:00:00.000Z'));
    expect(todayUtc()).toBe('2026-12-01');
    jest.setSystemTime(new Date('2026-11-29T12:00:00.000Z'));
    expect(todayUtc()).toBe('2026-11-29');
  });
});
