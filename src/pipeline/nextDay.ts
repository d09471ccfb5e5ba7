import { DateTime } from 'luxon';

/** The calendar date after `YYYY-MM-DD`. */
export function nextDay(isoDate: string): string {
  return DateTime.fromISO(isoDate, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
}
