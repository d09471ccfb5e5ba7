import type { Commit } from '../sinks/types';
import type { TimeWindow } from '../sources/types';
import type { ExportRecord, StateStore, WindowProgress } from './types';

const key = (stream: string, window: TimeWindow) => `${stream}|${window.startMs}|${window.endMs}`;

/**
 * A StateStore that lives as long as the process: for runs that must not leave or read state
 * (records sent to stdout), and for tests. Nothing is durable, so nothing resumes.
 */
export class MemoryStateStore implements StateStore {
  protected readonly progressByKey = new Map<string, WindowProgress>();
  private readonly exports = new Map<string, ExportRecord>();
  private readonly durations = new Map<string, number[]>();
  private readonly values = new Map<string, unknown>();

  progress(stream: string, window: TimeWindow): WindowProgress | undefined {
    return this.progressByKey.get(key(stream, window));
  }

  windows(stream: string): WindowProgress[] {
    return [...this.progressByKey.entries()]
      .filter(([k]) => k.startsWith(`${stream}|`))
      .map(([, progress]) => progress);
  }

  async recordCommit(commit: Commit): Promise<void> {
    const previous = this.progress(commit.stream, commit.window);
    this.progressByKey.set(key(commit.stream, commit.window), {
      window: commit.window,
      mark: commit.mark ?? previous?.mark ?? null,
      done: commit.windowDone || (previous?.done ?? false),
    });
  }

  exportFor(stream: string, window: TimeWindow): ExportRecord | undefined {
    return this.exports.get(key(stream, window));
  }

  async saveExport(stream: string, record: ExportRecord): Promise<void> {
    this.exports.set(key(stream, record.window), record);
  }

  async clearExport(stream: string, window: TimeWindow): Promise<void> {
    this.exports.delete(key(stream, window));
  }

  exportDurations(object: string): number[] {
    return this.durations.get(object) ?? [];
  }

  async addExportDuration(object: string, durationMs: number): Promise<void> {
    this.durations.set(object, [...this.exportDurations(object), durationMs]);
  }

  get(stream: string, name: string): unknown {
    return this.values.get(`${stream}|${name}`);
  }

  async set(stream: string, name: string, value: unknown): Promise<void> {
    this.values.set(`${stream}|${name}`, value);
  }

  async close(): Promise<void> {}
}
