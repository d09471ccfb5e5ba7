import type { ProgressEvent } from '../operators/progress';
import type { Commit } from '../sinks/types';
import type { TimeWindow } from '../sources/types';

/** Counters of one stream, as the progress display and the summary show them. */
export interface StreamStats {
  stream: string;
  object: string;
  /** Rows read from the API. */
  rows: number;
  /** Rows committed to the sink. */
  committedRows: number;
  pages: number;
  files: number;
  calls: number;
  retries: number;
  windowsDone: number;
  windowsSkipped: number;
  window: TimeWindow | null;
  startedAtMs: number;
  endedAtMs: number | null;
  state: 'waiting' | 'running' | 'done' | 'failed' | 'stopped';
}

/**
 * Everything the runner counts during a run, fed by the progress operator, the sink's
 * commits and the client's diagnostics events. Calls are attributed to the stream of their
 * object; calls with no object (token, user look-up) count only in the total.
 */
export class RunStats {
  readonly streams = new Map<string, StreamStats>();
  private readonly byObject = new Map<string, StreamStats>();
  totalCalls = 0;
  totalRetries = 0;

  constructor(private readonly now: () => number = Date.now) {}

  add(stream: string, object: string): StreamStats {
    const stats: StreamStats = {
      stream,
      object,
      rows: 0,
      committedRows: 0,
      pages: 0,
      files: 0,
      calls: 0,
      retries: 0,
      windowsDone: 0,
      windowsSkipped: 0,
      window: null,
      startedAtMs: this.now(),
      endedAtMs: null,
      state: 'waiting',
    };
    this.streams.set(stream, stats);
    if (!this.byObject.has(object)) this.byObject.set(object, stats);
    return stats;
  }

  onProgress(event: ProgressEvent): void {
    const stats = this.streams.get(event.stream);
    if (!stats || event.type !== 'page') return;

    stats.state = 'running';
    stats.pages += 1;
    stats.rows += event.pageRows;
    stats.window = event.window;
  }

  onCommit(commit: Commit): void {
    const stats = this.streams.get(commit.stream);
    if (!stats) return;

    stats.committedRows += commit.rows;
    stats.files += commit.files.length;
    if (commit.windowDone) stats.windowsDone += 1;
  }

  onCall(object: string | undefined): void {
    this.totalCalls += 1;
    const stats = object ? this.byObject.get(object) : undefined;
    if (stats) stats.calls += 1;
  }

  onRetry(object: string | undefined): void {
    this.totalRetries += 1;
    const stats = object ? this.byObject.get(object) : undefined;
    if (stats) stats.retries += 1;
  }

  start(stream: string): void {
    const stats = this.streams.get(stream);
    if (!stats) return;
    stats.state = 'running';
    stats.startedAtMs = this.now();
  }

  end(stream: string, failed: boolean): void {
    const stats = this.streams.get(stream);
    if (!stats) return;
    stats.state = failed ? 'failed' : 'done';
    stats.endedAtMs = this.now();
  }

  /**
   * Marks the streams still waiting or running as stopped, at now: the run ended early
   * (interrupted, quota, a failure elsewhere, a closed pipe) and they did not finish.
   */
  stopUnfinished(): void {
    for (const stats of this.streams.values()) {
      if (stats.state !== 'waiting' && stats.state !== 'running') continue;
      stats.state = 'stopped';
      stats.endedAtMs = this.now();
    }
  }

  get totalRows(): number {
    let rows = 0;
    for (const s of this.streams.values()) rows += s.committedRows;
    return rows;
  }
}
