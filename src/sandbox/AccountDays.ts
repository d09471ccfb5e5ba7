import type { LocalTime } from '../pardot/LocalTime';

const DAY_MS = 86_400_000;

/**
 * Account-local calendar days as integers (days since 1970-01-01 in the account zone), and
 * the UTC instants where they start. Starts are cached: luxon is too slow to ask per row.
 */
export class AccountDays {
  private readonly starts = new Map<number, number>();

  constructor(readonly time: LocalTime) {}

  /** The local day holding an instant. */
  indexOf(ms: number): number {
    return Math.floor((ms + this.time.offsetAt(ms)) / DAY_MS);
  }

  /** First instant of a local day. */
  start(day: number): number {
    let start = this.starts.get(day);
    if (start === undefined) {
      start = this.time.dayStart(new Date(day * DAY_MS).toISOString().slice(0, 10));
      this.starts.set(day, start);
    }
    return start;
  }

  /** The local date `YYYY-MM-DD` of a day index. */
  isoDate(day: number): string {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }
}
