import type { ObjectSpec } from '../pardot/catalogue';
import type { LocalTime } from '../pardot/LocalTime';
import type { TimeWindow } from './types';

export type TimeField = 'created_at' | 'updated_at';

/** How the query source pages one object in one window. */
export interface QueryPlan {
  /**
   * `time`: sort ascending on `timeField` and page by the (timestamp, id) mark.
   * `id`: filter the window on `timeField` (when set) and page by id_greater_than.
   */
  strategy: 'time' | 'id';
  /** Field the window filters on; null when the object has no usable time filter. */
  timeField: TimeField | null;
  /** Whether `sort_by=id` may be sent (emailClick and visit accept no sort_by). */
  idSortable: boolean;
}

/**
 * Decides the paging plan from the catalogue:
 * - `id` cursor (email clicks, campaigns, lifecycle stages): page by id; event objects with a
 *   created filter still keep to the window on created_at.
 * - time cursor that the object can sort on (`sorts` has it): page by time.
 * - time cursor it cannot sort on (listMembership updated_at): filter the window, page by id.
 * - any window holding the repeated autumn hour: filter the window, page by id. Naive times
 *   repeat there, so time order and `*_after` values are ambiguous; ids are not.
 */
export function planQuery(spec: ObjectSpec, window: TimeWindow, time: LocalTime): QueryPlan {
  const idSortable = spec.sorts?.id !== undefined;

  if (spec.cursor === 'id') {
    const timeField = spec.kind === 'event' && spec.created ? 'created_at' : null;
    return { strategy: 'id', timeField, idSortable };
  }

  const sortable = spec.sorts?.[spec.cursor] !== undefined;
  if (!sortable || hasRepeatedHour(window, time)) {
    return { strategy: 'id', timeField: spec.cursor, idSortable };
  }
  return { strategy: 'time', timeField: spec.cursor, idSortable };
}

const PROBE_MS = 6 * 3_600_000;

/**
 * True when the zone's offset falls somewhere inside the window (clocks go back: wall times
 * repeat). Offsets are probed every six hours, since a window may span several transitions
 * (a year-long window starts and ends on the same offset yet holds an autumn hour).
 */
export function hasRepeatedHour(window: TimeWindow, time: LocalTime): boolean {
  let previous = time.offsetAt(window.startMs);
  for (let at = window.startMs + PROBE_MS; ; at += PROBE_MS) {
    const offset = time.offsetAt(Math.min(at, window.endMs));
    if (offset < previous) return true;
    if (at >= window.endMs) return false;
    previous = offset;
  }
}
