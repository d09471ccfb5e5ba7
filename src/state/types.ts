import type { ExportRequest } from '../pardot/types';
import type { Commit } from '../sinks/types';
import type { Mark, TimeWindow } from '../sources/types';

/** Where a stream stands in one window, as saved in the run state. */
export interface WindowProgress {
  window: TimeWindow;
  /** Last committed mark in the window; null before the first commit. */
  mark: Mark | null;
  done: boolean;
}

/** An export created for a stream and window, kept so a restarted run resumes polling it. */
export interface ExportRecord {
  id: number;
  window: TimeWindow;
  request: ExportRequest;
  createdAtMs: number;
}

/**
 * What the sources and the checkpoint need from the run state. The file-backed store in
 * src/state implements it; tests may use an in-memory one.
 */
export interface StateStore {
  /** Progress of a stream in a window, or undefined when the window was never started. */
  progress(stream: string, window: TimeWindow): WindowProgress | undefined;
  /** Every window of a stream with saved progress. */
  windows(stream: string): WindowProgress[];
  /** Saves a commit durably: the mark moves, and the window is done when the commit says so. */
  recordCommit(commit: Commit): Promise<void>;

  /** The export in flight for a stream and window, if any. */
  exportFor(stream: string, window: TimeWindow): ExportRecord | undefined;
  saveExport(stream: string, record: ExportRecord): Promise<void>;
  /** Forgets the export (completed and committed, failed, or expired). */
  clearExport(stream: string, window: TimeWindow): Promise<void>;

  /** Recent export durations of an object, milliseconds, newest last (for adaptive polling). */
  exportDurations(object: string): number[];
  addExportDuration(object: string, durationMs: number): Promise<void>;

  /** Free-form per-stream value (e.g. the incremental mark of entity streams across runs). */
  get(stream: string, key: string): unknown;
  set(stream: string, key: string, value: unknown): Promise<void>;
}
