import type { LocalTime } from '../pardot/LocalTime';

/** ISO 8601 with the account zone's offset, as v5 writes times: `2024-01-01T00:00:00-05:00`. */
export function isoWithOffset(time: LocalTime, ms: number): string {
  const offsetMin = Math.round(time.offsetAt(ms) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${time.format(ms).replace(' ', 'T')}${sign}${hh}:${mm}`;
}
