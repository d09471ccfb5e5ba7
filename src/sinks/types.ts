import type { Mark, TimeWindow } from '../sources/types';

/**
 * What a sink emits after it has durably committed rows (files renamed into place and
 * fsynced, or bytes flushed to stdout): the checkpoint may now advance the stream's mark.
 */
export interface Commit {
  stream: string;
  object: string;
  window: TimeWindow;
  /** Mark of the last row committed; null for sources without one (exports). */
  mark: Mark | null;
  /** True when the whole window is committed. */
  windowDone: boolean;
  /** Rows committed by this commit. */
  rows: number;
  /** Paths of the files this commit put in place. */
  files: string[];
}
