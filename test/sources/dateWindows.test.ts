import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../src/pardot/errors';
import { LocalTime } from '../../src/pardot/LocalTime';
import { dateWindows } from '../../src/sources/dateWindows';
import { newestFirstWindows } from '../../src/sources/newestFirstWindows';
import type { TimeWindow } from '../../src/sources/types';

const HOUR = 3_600_000;
const zone = 'America/New_York';
const time = new LocalTime(zone);

const local = (w: TimeWindow) => [time.format(w.startMs), time.format(w.endMs)];
const hours = (w: TimeWindow) => (w.endMs - w.startMs) / HOUR;

describe('dateWindows', () => {
  it('cuts local days that last 23 hours in spring and 25 in autumn', async () => {
    const spring = await firstValueFrom(
      dateWindows({ start: '2024-03-09', end: '2024-03-12', zone }).pipe(toArray()),
    );
    const autumn = await firstValueFrom(
      dateWindows({ start: '2024-11-02', end: '2024-11-05', zone }).pipe(toArray()),
    );

    expect(spring.map(hours)).toEqual([24, 23, 24]);
    expect(autumn.map(hours)).toEqual([24, 25, 24]);
    expect(spring.map(local)[1]).toEqual(['2024-03-10 00:00:00', '2024-03-11 00:00:00']);
  });

  it('emits newest first when asked, cutting the oldest window at the start', async () => {
    const windows = await firstValueFrom(
      dateWindows({
        start: '2024-01-01',
        end: '2024-01-11',
        zone,
        step: { days: 4 },
        order: 'newest',
      }).pipe(toArray()),
    );

    expect(windows.map(local)).toEqual([
      ['2024-01-07 00:00:00', '2024-01-11 00:00:00'],
      ['2024-01-03 00:00:00', '2024-01-07 00:00:00'],
      ['2024-01-01 00:00:00', '2024-01-03 00:00:00'],
    ]);
  });

  it('steps by hours and months in local time', async () => {
    const hourly = await firstValueFrom(
      dateWindows({ start: '2024-11-03', end: '2024-11-04', zone, step: { hours: 1 } }).pipe(
        toArray(),
      ),
    );
    const monthly = await firstValueFrom(
      dateWindows({ start: '2024-01-01', end: '2024-04-01', zone, step: { months: 1 } }).pipe(
        toArray(),
      ),
    );

    expect(hourly.length).toBe(25);
    expect(monthly.map((w) => time.isoDate(w.startMs))).toEqual([
      '2024-01-01',
      '2024-02-01',
      '2024-03-01',
    ]);
  });

  it('produces windows lazily, so taking two of a century of hours returns at once', async () => {
    const started = Date.now();

    const two = await firstValueFrom(
      dateWindows({ start: '1990-01-01', end: '2090-01-01', zone, step: { hours: 1 } }).pipe(
        take(2),
        toArray(),
      ),
    );

    expect(two.map(hours)).toEqual([1, 1]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('is empty for an empty range and rejects a step longer than a year', async () => {
    const none = await firstValueFrom(
      dateWindows({ start: '2024-01-01', end: '2024-01-01', zone }).pipe(toArray()),
    );

    expect(none).toEqual([]);
    expect(() =>
      dateWindows({ start: '2024-01-01', end: '2026-01-01', zone, step: { months: 13 } }),
    ).toThrow(ConfigError);
  });
});

describe('newestFirstWindows', () => {
  it('follows the guide: last month, the three before, then the eight before', async () => {
    const windows = await firstValueFrom(
      newestFirstWindows({ start: '2019-12-25', end: '2020-12-25', zone }).pipe(toArray()),
    );

    expect(windows.map((w) => [time.isoDate(w.startMs), time.isoDate(w.endMs)])).toEqual([
      ['2020-11-25', '2020-12-25'],
      ['2020-08-25', '2020-11-25'],
      ['2019-12-25', '2020-08-25'],
    ]);
  });

  it('repeats the last step for longer ranges and accepts custom steps', async () => {
    const windows = await firstValueFrom(
      newestFirstWindows({
        start: '2023-01-01',
        end: '2024-01-01',
        zone,
        steps: [{ days: 7 }, { months: 6 }],
      }).pipe(toArray()),
    );

    expect(windows.map((w) => [time.isoDate(w.startMs), time.isoDate(w.endMs)])).toEqual([
      ['2023-12-25', '2024-01-01'],
      ['2023-06-25', '2023-12-25'],
      ['2023-01-01', '2023-06-25'],
    ]);
  });
});
