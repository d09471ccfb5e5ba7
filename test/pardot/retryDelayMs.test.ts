import { describe, expect, it } from 'vitest';

import { retryDelayMs } from '../../src/pardot/retryDelayMs';

describe('retryDelayMs', () => {
  it('grows exponentially between half and all of the ceiling', () => {
    const low = [1, 2, 3, 4].map((a) => retryDelayMs(a, { baseDelayMs: 100, random: () => 0 }));
    const high = [1, 2, 3, 4].map((a) =>
      retryDelayMs(a, { baseDelayMs: 100, random: () => 0.999999 }),
    );

    expect(low).toEqual([50, 100, 200, 400]);
    expect(high).toEqual([100, 200, 400, 800]);
  });

  it('caps one delay at maxDelayMs', () => {
    expect(retryDelayMs(30, { baseDelayMs: 1000, maxDelayMs: 5000, random: () => 0.5 })).toBe(3750);
  });

  it('honours a server delay, capped', () => {
    expect(retryDelayMs(1, { retryAfterMs: 2500 })).toBe(2500);
    expect(retryDelayMs(1, { retryAfterMs: 999_999, maxDelayMs: 10_000 })).toBe(10_000);
  });

  it('waits nothing before the first try or with a zero base', () => {
    expect(retryDelayMs(0)).toBe(0);
    expect(retryDelayMs(3, { baseDelayMs: 0 })).toBe(0);
  });
});
