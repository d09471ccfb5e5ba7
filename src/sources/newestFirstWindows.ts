import type { Observable } from 'rxjs';

import { ConfigError } from '../pardot/errors';
import {
  backwards,
  checkStep,
  type DateWindowsOptions,
  lazyWindows,
  resolveRange,
  type WindowStep,
} from './dateWindows';
import type { TimeWindow } from './types';

export interface NewestFirstWindowsOptions extends Pick<
  DateWindowsOptions,
  'start' | 'end' | 'zone'
> {
  /**
   * Window lengths from the newest back; the last one repeats until the range is covered.
   * Default `[{ months: 1 }, { months: 3 }, { months: 8 }]`, the bulk-data guide's schedule.
   * Each at most a year (the Export API's span limit).
   */
  steps?: WindowStep[];
}

export const GUIDE_STEPS: readonly WindowStep[] = [{ months: 1 }, { months: 3 }, { months: 8 }];

/**
 * Windows newest first, growing as they go back: last month, the three months before, then the
 * eight before (and eight-month windows after that), so recent data lands first and a year of
 * history costs three exports instead of one slow one.
 *
 * ```
 * newestFirstWindows({ start: '2019-12-25', end: '2020-12-25', zone })
 * --[11-25..12-25]--[08-25..11-25]--[2019-12-25..08-25]--|
 * ```
 *
 * @example
 * newestFirstWindows({ start: '2023-01-01', end: '2024-01-01', zone: 'Europe/Paris' })
 *   .pipe(concatMap((window) => exportSource(api, { object: 'visitorActivity', window })))
 *   .subscribe();
 */
export function newestFirstWindows(options: NewestFirstWindowsOptions): Observable<TimeWindow> {
  const steps = options.steps ?? [...GUIDE_STEPS];
  if (steps.length === 0) throw new ConfigError('newestFirstWindows needs at least one step');
  steps.forEach(checkStep);

  return lazyWindows(() => {
    const { zone, startMs, endMs } = resolveRange(options);
    const stepAt = (i: number) => steps[Math.min(i, steps.length - 1)];
    return backwards(zone, startMs, endMs, stepAt) as Iterable<TimeWindow>;
  });
}
