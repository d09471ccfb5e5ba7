import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';

describe('toolchain', () => {
  it('runs TypeScript through vitest', () => {
    expect(DateTime.fromISO('2024-03-10T12:00:00Z').toUTC().toISO()).toBe(
      '2024-03-10T12:00:00.000Z',
    );
  });
});
