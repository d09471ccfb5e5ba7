import { BadResponseError } from '../pardot/errors';
import type { PardotRecord } from '../pardot/types';
import type { TimeField } from './queryPlan';
import type { Mark, TimeWindow } from './types';

/** Tuple order of marks: by time, then by id. */
export function compareMarks(a: Mark, b: Mark): number {
  return (a.atMs ?? 0) - (b.atMs ?? 0) || a.id - b.id;
}

/**
 * Decides which fetched rows are new, and keeps the mark. A row is new when its cursor time is
 * in the window, it sorts above the mark the run resumed from, and its id was not emitted in
 * this run. Emitted ids are kept for the recent span only (`keepMs` behind the newest row), so
 * memory stays bounded on long windows while re-read seconds and look-back passes never
 * repeat a row.
 */
export class RowTracker {
  mark: Mark | null;
  /** Newest cursor time accepted, epoch ms; -Infinity before the first row. */
  maxAtMs = -Infinity;
  private readonly seen = new Map<number, number>();
  private pruneAt = 10_000;

  constructor(
    private readonly window: TimeWindow,
    private readonly timeField: TimeField | null,
    private readonly resume: Mark | null,
    private readonly keepMs: number,
    private readonly object: string,
    /** Whether accepted rows move a (time, id) mark; id pagers move an id mark themselves. */
    private readonly timeMarks: boolean,
  ) {
    this.mark = resume;
  }

  /** The row's cursor time in epoch ms (null when the plan has no time field). */
  timeOf(row: PardotRecord): number | null {
    if (!this.timeField) return null;
    const value = row[this.timeField];
    if (value instanceof Date) return value.getTime();
    throw new BadResponseError(`a ${this.object} row has no ${this.timeField}`, {
      object: this.object,
    });
  }

  /** Filters rows down to new ones, remembers them, and moves a time mark over them. */
  accept(rows: readonly PardotRecord[]): PardotRecord[] {
    const fresh: PardotRecord[] = [];
    for (const row of rows) {
      const id = row.id as number;
      const atMs = this.timeOf(row);
      if (!this.isNew(id, atMs)) continue;

      fresh.push(row);
      // Without a time field the id pager's own order rules out repeats; nothing to keep.
      if (atMs === null) continue;
      this.seen.set(id, atMs);
      this.maxAtMs = Math.max(this.maxAtMs, atMs);
      if (this.timeMarks) this.raise({ atMs, id });
    }
    if (this.seen.size > this.pruneAt) this.prune();
    return fresh;
  }

  /** Moves the mark up (never down). */
  raise(mark: Mark): void {
    if (mark.atMs !== null) this.maxAtMs = Math.max(this.maxAtMs, mark.atMs);
    if (!this.mark || compareMarks(mark, this.mark) > 0) this.mark = mark;
  }

  private isNew(id: number, atMs: number | null): boolean {
    if (this.seen.has(id)) return false;
    if (atMs !== null && (atMs < this.window.startMs || atMs >= this.window.endMs)) return false;
    if (!this.resume) return true;
    if (this.resume.atMs === null || atMs === null) return id > this.resume.id;
    return compareMarks({ atMs, id }, this.resume) > 0;
  }

  private prune(): void {
    const cutoff = this.maxAtMs - this.keepMs;
    for (const [id, atMs] of this.seen) if (atMs < cutoff) this.seen.delete(id);
    this.pruneAt = Math.max(10_000, this.seen.size * 2);
  }
}
