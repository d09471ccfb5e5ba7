import type { AccountDays } from './AccountDays';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Reads a v3/v4 date filter value as an instant, in the account zone: `YYYY-MM-DD` (local
 * midnight), `YYYY-MM-DD HH:MM[:SS]` or with a `T`, an ISO time with an explicit offset, or
 * the keywords today, yesterday, last_7_days, this_month, last_month (day starts relative to
 * the sandbox clock). Returns null when the value cannot be read (code 7).
 */
export function parseDateInput(raw: string, days: AccountDays, nowMs: number): number | null {
  const value = raw.trim();
  const today = days.indexOf(nowMs);
  switch (value) {
    case 'today':
      return days.start(today);
    case 'yesterday':
      return days.start(today - 1);
    case 'last_7_days':
      return days.start(today - 7);
    case 'this_month':
      return days.start(firstOfMonth(days, today, 0));
    case 'last_month':
      return days.start(firstOfMonth(days, today, -1));
  }
  if (WITH_OFFSET.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  if (DATE.test(value)) return validDate(value) ? days.start(Date.parse(value) / 86_400_000) : null;

  const m = DATE_TIME.exec(value);
  if (!m || !validDate(`${m[1]}-${m[2]}-${m[3]}`) || +m[4] > 23 || +m[5] > 59) return null;
  if (m[6] !== undefined && +m[6] > 59) return null;
  return days.time.toEpochMs(`${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'}`);
}

function validDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso);
}

function firstOfMonth(days: AccountDays, today: number, monthsBack: number): number {
  const d = new Date(days.isoDate(today));
  const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthsBack, 1);
  return first / 86_400_000;
}
