import type { RecordValue } from '../pardot/types';

/** A stored field value: timestamps are epoch milliseconds, the rest as in PardotRecord. */
export type StoredValue = RecordValue;

/**
 * One row as the sandbox keeps it. `data` holds the fields the API renders, keyed by v3/v4
 * snake_case names; timestamp fields hold epoch milliseconds (numbers) and are formatted per
 * request, in the account zone for v3/v4 and with an offset for v5. A key that is absent from
 * `data` is omitted from replies, as the real API omits unset asset ids.
 */
export interface StoredRow {
  id: number;
  /** created_at, epoch ms; also set for objects that do not render it (campaigns). */
  createdMs: number;
  /** updated_at, epoch ms (equals createdMs for events). */
  updatedMs: number;
  data: Record<string, StoredValue>;
  /** Sandbox-clock instant from which the row is visible ("slow replica"). */
  visibleFromMs: number;
  /** In the recycle bin. */
  deleted: boolean;
}

/** Index of the first element whose key is >= `value` in an array sorted by that key. */
export function lowerBound<T>(
  items: readonly T[],
  value: number,
  key: (item: T) => number,
): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid]) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const byIdAsc = (a: StoredRow, b: StoredRow): number => a.id - b.id;
export const byCreatedAsc = (a: StoredRow, b: StoredRow): number =>
  a.createdMs - b.createdMs || a.id - b.id;
