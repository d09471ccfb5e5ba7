import { lowerBound, type StoredRow } from './StoredRow';
import type { Bounds, Table } from './Table';

/** A keyset position: rows strictly after (value, id) in the sort direction (v5 tokens). */
export interface AfterKey {
  value: number | string | null;
  id: number;
}

export interface Selection {
  bounds: Bounds;
  updatedMin?: number;
  updatedMax?: number;
  /** Further row tests (object filters). */
  predicates: Array<(row: StoredRow) => boolean>;
  /** Recycle bin: only live rows (false), only deleted (true), or both. */
  deleted: 'false' | 'true' | 'all';
  sortField: string;
  descending: boolean;
  offset: number;
  limit: number;
  /** Count every match (v3/v4 total_results); otherwise stop once the page is full. */
  needTotal: boolean;
  after?: AfterKey;
}

export interface Selected {
  rows: StoredRow[];
  total: number;
}

/**
 * Runs a selection against a table. Sorts by id or created_at walk the table's segments in
 * order and binary-search each one, stopping when the page is full; other sorts gather every
 * match and sort it, which is fine for the in-memory objects that offer them. Ties sort by id
 * in the same direction.
 */
export function selectRows(table: Table, s: Selection, nowMs: number): Selected {
  const bounds = { ...s.bounds };
  if (s.updatedMax !== undefined && table.spec.kind === 'event') {
    // Events are never updated before they are created, so updated_before bounds creation.
    bounds.createdMax = Math.min(bounds.createdMax ?? Infinity, s.updatedMax);
  }
  const matches = matcher(s, nowMs);
  const segments = table.segments(bounds, nowMs);

  if (s.sortField !== 'id' && s.sortField !== 'created_at') {
    return sortedSelection(
      segments.flatMap((seg) => seg.byId().filter(matches)),
      s,
    );
  }
  const byId = s.sortField === 'id';
  const [min, max] = byId ? [bounds.idMin, bounds.idMax] : [bounds.createdMin, bounds.createdMax];
  const key = byId ? (r: StoredRow) => r.id : (r: StoredRow) => r.createdMs;
  const rows: StoredRow[] = [];
  let total = 0;
  const ordered = s.descending ? [...segments].reverse() : segments;
  for (const segment of ordered) {
    const arr = byId ? segment.byId() : segment.byCreated();
    const lo = min === undefined ? 0 : lowerBound(arr, min, key);
    const hi = max === undefined ? arr.length : lowerBound(arr, max + 1, key);
    for (let k = 0; k < hi - lo; k++) {
      const row = arr[s.descending ? hi - 1 - k : lo + k];
      if (!matches(row)) continue;
      total++;
      if (total > s.offset && rows.length < s.limit) rows.push(row);
      if (!s.needTotal && rows.length >= s.limit) return { rows, total };
    }
  }
  return { rows, total };
}

/** The row test of a selection (bounds, recycle bin, visibility at `nowMs`, predicates). */
export function matcher(s: Selection, nowMs: number): (row: StoredRow) => boolean {
  const b = s.bounds;
  const after = s.after ? afterTest(s) : null;
  return (row) => {
    if (row.createdMs > nowMs || row.visibleFromMs > nowMs) return false;
    if (s.deleted === 'false' ? row.deleted : s.deleted === 'true' && !row.deleted) return false;
    if (b.createdMin !== undefined && row.createdMs < b.createdMin) return false;
    if (b.createdMax !== undefined && row.createdMs > b.createdMax) return false;
    if (b.idMin !== undefined && row.id < b.idMin) return false;
    if (b.idMax !== undefined && row.id > b.idMax) return false;
    if (s.updatedMin !== undefined && row.updatedMs < s.updatedMin) return false;
    if (s.updatedMax !== undefined && row.updatedMs > s.updatedMax) return false;
    if (after && !after(row)) return false;
    for (const p of s.predicates) if (!p(row)) return false;
    return true;
  };
}

/** Sort key of a row: timestamps as ms, nulls first. */
export function sortValue(row: StoredRow, field: string): number | string {
  if (field === 'id') return row.id;
  if (field === 'created_at') return row.createdMs;
  if (field === 'updated_at') return row.updatedMs;
  const v = row.data[field];
  if (v === null || v === undefined) return -Infinity;
  return typeof v === 'number' || typeof v === 'string' ? v : String(v);
}

function compare(a: StoredRow, b: StoredRow, field: string): number {
  const x = sortValue(a, field);
  const y = sortValue(b, field);
  if (x < y) return -1;
  if (x > y) return 1;
  return a.id - b.id;
}

function afterTest(s: Selection): (row: StoredRow) => boolean {
  const key = s.after as AfterKey;
  const pivot = {
    id: key.id,
    createdMs: 0,
    updatedMs: 0,
    data: {},
    visibleFromMs: 0,
    deleted: false,
  };
  const value = key.value ?? -Infinity;
  const pivotValue = (row: StoredRow) => {
    const v = sortValue(row, s.sortField);
    if (v < value) return -1;
    if (v > value) return 1;
    return row.id - pivot.id;
  };
  return (row) => (s.descending ? pivotValue(row) < 0 : pivotValue(row) > 0);
}

function sortedSelection(all: StoredRow[], s: Selection): Selected {
  all.sort((a, b) => (s.descending ? -compare(a, b, s.sortField) : compare(a, b, s.sortField)));
  return { rows: all.slice(s.offset, s.offset + s.limit), total: all.length };
}
