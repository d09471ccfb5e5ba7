import type { Commit } from '../../../src/sinks/types';
import type { Mark, TimeWindow } from '../../../src/sources/types';
import { MemoryStateStore as Store } from '../../../src/state/MemoryStateStore';
import type { ExportRecord } from '../../../src/state/types';

/** The in-memory StateStore, slowed down at will; `writes` lists every durable call in order. */
export class MemoryStateStore extends Store {
  readonly writes: string[] = [];

  constructor(private readonly delayMs = 0) {
    super();
  }

  setProgress(stream: string, window: TimeWindow, mark: Mark | null, done = false): void {
    this.progressByKey.set(`${stream}|${window.startMs}|${window.endMs}`, { window, mark, done });
  }

  override async recordCommit(commit: Commit): Promise<void> {
    await this.pause();
    await super.recordCommit(commit);
    this.writes.push(`commit ${commit.stream} ${commit.rows}`);
  }

  override async saveExport(stream: string, record: ExportRecord): Promise<void> {
    await this.pause();
    await super.saveExport(stream, record);
    this.writes.push(`saveExport ${stream} ${record.id}`);
  }

  override async clearExport(stream: string, window: TimeWindow): Promise<void> {
    await this.pause();
    await super.clearExport(stream, window);
    this.writes.push(`clearExport ${stream}`);
  }

  private pause(): Promise<void> {
    return this.delayMs > 0 ? new Promise((r) => setTimeout(r, this.delayMs)) : Promise.resolve();
  }
}
