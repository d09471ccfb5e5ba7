import type { Page, TimeWindow } from '../../src/sources/types';

export const WINDOW_A: TimeWindow = { startMs: 0, endMs: 86_400_000 };
export const WINDOW_B: TimeWindow = { startMs: 86_400_000, endMs: 172_800_000 };

/** A page of rows with the given ids, for operator marble tests. */
export function page(ids: number[], window: TimeWindow = WINDOW_A, last = false): Page {
  return {
    stream: 'prospect',
    object: 'prospect',
    window,
    rows: ids.map((id) => ({ id })),
    mark: ids.length > 0 ? { atMs: null, id: Math.max(...ids) } : null,
    last,
  };
}
