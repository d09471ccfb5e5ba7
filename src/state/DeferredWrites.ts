import type { Commit } from '../sinks/types';
import type { TimeWindow } from '../sources/types';
import type { ExportRecord, StateStore, WindowProgress } from './types';

/**
 * A view of a state store that reads through but holds back free-form writes until `flush`:
 * a pipeline records what it planned while planning, and the record is kept only if the run
 * then goes ahead (a dry run, or a run refused for overlapping the lake, writes nothing).
 * Reads see the held-back values. Commits and exports are not part of planning and pass on.
 */
export class DeferredWrites implements StateStore {
  private readonly held = new Map<string, { stream: string; key: string; value: unknown }>();

  constructor(private readonly store: StateStore) {}

  /** Writes the held-back values, in the order they were set. */
  async flush(): Promise<void> {
    for (const { stream, key, value } of this.held.values())
      await this.store.set(stream, key, value);
    this.held.clear();
  }

  get(stream: string, key: string): unknown {
    const held = this.held.get(`${stream}\u0000${key}`);
    return held ? held.value : this.store.get(stream, key);
  }

  async set(stream: string, key: string, value: unknown): Promise<void> {
    this.held.set(`${stream}\u0000${key}`, { stream, key, value });
  }

  progress(stream: string, window: TimeWindow): WindowProgress | undefined {
    return this.store.progress(stream, window);
  }

  windows(stream: string): WindowProgress[] {
    return this.store.windows(stream);
  }

  recordCommit(commit: Commit): Promise<void> {
    return this.store.recordCommit(commit);
  }

  exportFor(stream: string, window: TimeWindow): ExportRecord | undefined {
    return this.store.exportFor(stream, window);
  }

  saveExport(stream: string, record: ExportRecord): Promise<void> {
    return this.store.saveExport(stream, record);
  }

  clearExport(stream: string, window: TimeWindow): Promise<void> {
    return this.store.clearExport(stream, window);
  }

  exportDurations(object: string): number[] {
    return this.store.exportDurations(object);
  }

  addExportDuration(object: string, durationMs: number): Promise<void> {
    return this.store.addExportDuration(object, durationMs);
  }
}
