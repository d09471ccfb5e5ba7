import { DateTime } from 'luxon';
import { Observable } from 'rxjs';

import { ConfigError } from '../pardot/errors';
import { LocalTime } from '../pardot/LocalTime';
import type { TimeWindow } from './types';

/** A window length in the account's calendar. */
export type WindowStep = { days: number } | { hours: number } | { months: number };

export interface DateWindowsOptions {
  /** First instant covered: epoch milliseconds, or a local date `YYYY-MM-DD` (its midnight). */
  start: number | string;
  /** End, exclusive: epoch milliseconds, or a local date `YYYY-MM-DD` (its midnight). */
  end: number | string;
  /** The account's zone: a LocalTime or an IANA name. */
  zone: LocalTime | string;
  /** Length of each window, in local calendar units. Default `{ days: 1 }`; at most a year. */
  step?: WindowStep;
  /** `oldest` first (default) or `newest` first. */
  order?: 'oldest' | 'newest';
}

/**
 * Half-open windows [start, end) of a fixed calendar step in the account's zone: a daily
 * window runs from local midnight to local midnight, so it lasts 23 or 25 hours on DST days.
 * Windows are produced as the subscriber takes them (a ten-year daily backfill is not built
 * up front) and the first or last one is cut short at the range's ends.
 *
 * ```
 * dateWindows({ start: '2024-03-09', end: '2024-03-12', zone: 'America/New_York' })
 * --[03-09 24h]--[03-10 23h]--[03-11 24h]--|
 * ```
 *
 * @example
 * dateWindows({ start: '2024-01-01', end: '2024-02-01', zone: 'America/New_York' })
 *   .subscribe((w) => console.log(new Date(w.startMs).toISOString()));
 */
export function dateWindows(options: DateWindowsOptions): Observable<TimeWindow> {
  const step = options.step ?? { days: 1 };
  checkStep(step);
  return lazyWindows(() => {
    const { zone, startMs, endMs } = resolveRange(options);
    return options.order === 'newest'
      ? backwards(zone, startMs, endMs, () => step)
      : forwards(zone, startMs, endMs, step);
  });
}

/** Emits a generator's windows one by one, stopping as soon as the subscriber leaves. */
export function lazyWindows(make: () => Iterable<TimeWindow>): Observable<TimeWindow> {
  return new Observable<TimeWindow>((subscriber) => {
    try {
      for (const window of make()) {
        if (subscriber.closed) return;
        subscriber.next(window);
      }
      subscriber.complete();
    } catch (error) {
      subscriber.error(error);
    }
  });
}

/** Reads the range and zone options into instants. */
export function resolveRange(options: Pick<DateWindowsOptions, 'start' | 'end' | 'zone'>) {
  const time = typeof options.zone === 'string' ? new LocalTime(options.zone) : options.zone;
  const toMs = (v: number | string) => (typeof v === 'number' ? v : time.dayStart(v));
  const startMs = toMs(options.start);
  const endMs = toMs(options.end);
  if (!(startMs <= endMs)) {
    throw new ConfigError(`window range starts after it ends (${options.start} > ${options.end})`);
  }
  return { zone: time.zone, startMs, endMs };
}

/** Rejects steps longer than the Export API's one-year span, or not positive. */
export function checkStep(step: WindowStep): void {
  const [unit, n] = Object.entries(step)[0] as [string, number];
  const limit = unit === 'months' ? 12 : unit === 'days' ? 365 : 8760;
  if (!Number.isInteger(n) || n < 1 || n > limit) {
    throw new ConfigError(
      `window step ${n} ${unit} is outside 1..${limit}: a window spans at most a year`,
    );
  }
}

function* forwards(zone: string, startMs: number, endMs: number, step: WindowStep) {
  let cursor = DateTime.fromMillis(startMs, { zone });
  while (cursor.toMillis() < endMs) {
    const next = cursor.plus(step);
    yield { startMs: cursor.toMillis(), endMs: Math.min(next.toMillis(), endMs) };
    cursor = next;
  }
}

/** Windows from the end back to the start; `stepAt(i)` is the length of the i-th window. */
export function* backwards(
  zone: string,
  startMs: number,
  endMs: number,
  stepAt: (i: number) => WindowStep,
): Generator<TimeWindow> {
  let cursor = DateTime.fromMillis(endMs, { zone });
  for (let i = 0; cursor.toMillis() > startMs; i++) {
    const previous = cursor.minus(stepAt(i));
    yield { startMs: Math.max(previous.toMillis(), startMs), endMs: cursor.toMillis() };
    cursor = previous;
  }
}
