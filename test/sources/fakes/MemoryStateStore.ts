import type { Commit } from '../../../src/sinks/types';
import type { Mark, TimeWindow } from '../../../src/sources/types';
import type { ExportRecord, StateStore, WindowProgress } from '../../../src/state/types';

const key = (stream: string, window: TimeWindow) => `${stream}|${window.startMs}|${window.endMs}`;

/** An in-memory StateStore for tests; `writes` lists every durable call in order. */
export class MemoryStateStore implements StateStore {
  readonly writes: string[] = [];
  private readonly progressByKey = new Map<string, WindowProgress>();
  private readonly exports = new Map<string, ExportRecord>();
  private readonly durations = new Map<string, number[]>();
  private readonly values = new Map<string, unknown>();

  constructor(private readonly delayMs = 0) {}

  progress(stream: string, window: TimeWindow): WindowProgress | undefined {
    return this.progressByKey.get(key(stream, window));
  }

  setProgress(stream: string, window: TimeWindow, mark: Mark | null, done = false): void {
    this.progressByKey.set(key(stream, window), { window, mark, done });
  }

  async recordCommit(commit: Commit): Promise<void> {
    await this.pause();
    const previous = this.progress(commit.stream, commit.window);
    this.progressByKey.set(key(commit.stream, commit.window), {
      window: commit.window,
      mark: commit.mark ?? previous?.mark ?? null,
      done: commit.windowDone || (previous?.done ?? false),
    });
    this.writes.push(`commit ${commit.stream} ${commit.rows}`);
  }

  exportFor(stream: string, window: TimeWindow): ExportRecord | undefined {
    return this.exports.get(key(stream, window));
  }

  async saveExport(stream: string, record: ExportRecord): Promise<void> {
    await this.pause();
    this.exports.set(key(stream, record.window), record);
    this.writes.push(`saveExport ${stream} ${record.id}`);
  }

  async clearExport(stream: string, window: TimeWindow): Promise<void> {
    await this.pause();
    this.exports.delete(key(stream, window));
    this.writes.push(`clearExport ${stream}`);
  }

  exportDurations(object: string): number[] {
    return this.durations.get(object) ?? [];
  }

  async addExportDuration(object: string, durationMs: number): Promise<void> {
    this.durations.set(object, [...this.exportDurations(object), durationMs]);
  }

  get(stream: string, k: string): unknown {
    return this.values.get(`${stream}|${k}`);
  }

  async set(stream: string, k: string, value: unknown): Promise<void> {
    this.values.set(`${stream}|${k}`, value);
  }

  private pause(): Promise<void> {
    return this.delayMs > 0 ? new Promise((r) => setTimeout(r, this.delayMs)) : Promise.resolve();
  }
}
