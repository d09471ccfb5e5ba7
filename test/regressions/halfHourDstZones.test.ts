import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';

import { LocalTime } from '../../src/pardot/LocalTime';

const MINUTE = 60_000;

/** Zones whose clocks change at half past a UTC hour, or by 30 minutes; both 2026 changes. */
const CHANGES: Array<[string, string]> = [
  ['Australia/Adelaide', '2026-04-04T16:30:00Z'],
  ['Australia/Adelaide', '2026-10-03T16:30:00Z'],
  ['America/St_Johns', '2026-03-08T05:30:00Z'],
  ['America/St_Johns', '2026-11-01T04:30:00Z'],
  ['Australia/Lord_Howe', '2026-04-04T15:00:00Z'],
  ['Australia/Lord_Howe', '2026-10-03T15:30:00Z'],
];

const wallOf = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');

describe('LocalTime in zones that change on the half hour', () => {
  for (const [zone, change] of CHANGES) {
    it(`formats and reads every minute around ${change} in ${zone}`, () => {
      const time = new LocalTime(zone);
      const at = Date.parse(change);
      const minutes = Array.from({ length: 241 }, (_, i) => at + (i - 120) * MINUTE);

      const formatted = minutes.map((ms) => time.format(ms));
      const read = formatted.map((wall) => time.toEpochMs(wall));

      expect(formatted).toEqual(minutes.map((ms) => wallOf(ms, zone)));
      // A wall time that names two instants is read as the earlier one.
      const earliest = formatted.map((wall) => minutes[formatted.indexOf(wall)]);
      expect(read).toEqual(earliest);
    });
  }
});
