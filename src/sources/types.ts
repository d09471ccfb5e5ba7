import type { PardotRecord } from '../pardot/types';

/** A half-open time window [startMs, endMs) in epoch milliseconds. */
export interface TimeWindow {
  startMs: number;
  endMs: number;
}

/**
 * A high-water mark. For time cursors it is the tuple (cursor timestamp, id): every row whose
 * (timestamp, id) sorts at or below it has been emitted. For id cursors `atMs` is null.
 */
export interface Mark {
  atMs: number | null;
  id: number;
}

/**
 * What a source emits: one page of typed rows, and the mark that holds once these rows (and
 * every earlier page of the same stream and window) are durably written.
 */
export interface Page {
  /** Stream id, unique in a pipeline (defaults to the object name). */
  stream: string;
  /** Catalogue object name, e.g. `visitorActivity`. */
  object: string;
  window: TimeWindow;
  rows: PardotRecord[];
  /** Mark after this page; null when the source has no usable mark (export rows). */
  mark: Mark | null;
  /** True on the last page of the window: the window is complete once it is committed. */
  last: boolean;
}
