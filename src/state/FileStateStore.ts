import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

import { fsyncPath } from '../fsyncPath';
import { StateError } from '../pardot/errors';
import type { ExportRequest } from '../pardot/types';
import type { Commit } from '../sinks/types';
import type { Mark, TimeWindow } from '../sources/types';
import { emptyState, parseState, type StateFile, type StoredStream } from './stateFile';
import { StateLock } from './StateLock';
import type { ExportRecord, StateStore, WindowProgress } from './types';

export interface FileStateStoreOptions {
  /** The state file. Required; pipelines default it to `<out>/_state.json`. */
  path: string;
  /** Told about things worth a log line (a stale lock taken over). Default: nothing. */
  onNote?: (message: string) => void;
  /** Export durations kept per object, newest last. Default 20. */
  durationsKept?: number;
}

/** Free-form keys that look like credentials are refused: the state file never holds one. */
const SECRET_KEY = /token|secret|password|passwd|authorization|private.?key/i;

/**
 * The run state in one JSON file (format: stateFile.ts), rewritten whole and atomically
 * (write-file-atomic: temp file, fsync, rename; then the directory is fsynced) on every
 * change, in call order. Opening takes the lock beside it (StateLock); `close` releases it.
 * A file that cannot be read is an error that says how to recover, never a silent reset.
 *
 * @example
 * const state = await FileStateStore.open({ path: FileStateStore.defaultPath('./lake') });
 * try { ... } finally { await state.close(); }
 */
export class FileStateStore implements StateStore {
  private saving: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly state: StateFile,
    private readonly lock: StateLock,
    private readonly durationsKept: number,
  ) {}

  static defaultPath(out: string): string {
    return path.join(out, '_state.json');
  }

  static async open(options: FileStateStoreOptions): Promise<FileStateStore> {
    await fs.mkdir(path.dirname(options.path), { recursive: true });
    const lock = await StateLock.acquire(`${options.path}.lock`, options.onNote ?? (() => {}));
    try {
      const state = await readState(options.path);
      return new FileStateStore(options.path, state, lock, options.durationsKept ?? 20);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  progress(stream: string, window: TimeWindow): WindowProgress | undefined {
    const stored = this.state.streams[stream]?.windows.find((w) => sameWindow(w, window));
    if (!stored) return undefined;
    return { window: { ...window }, mark: markFrom(stored.mark), done: stored.done };
  }

  windows(stream: string): WindowProgress[] {
    return (this.state.streams[stream]?.windows ?? []).map((stored) => ({
      window: { startMs: Date.parse(stored.start), endMs: Date.parse(stored.end) },
      mark: markFrom(stored.mark),
      done: stored.done,
    }));
  }

  async recordCommit(commit: Commit): Promise<void> {
    const windows = this.stream(commit.stream).windows;
    let stored = windows.find((w) => sameWindow(w, commit.window));
    if (!stored) {
      stored = { ...windowTo(commit.window), mark: null, done: false };
      windows.push(stored);
    }
    if (commit.mark !== null) stored.mark = markTo(commit.mark);
    stored.done = stored.done || commit.windowDone;
    await this.save();
  }

  exportFor(stream: string, window: TimeWindow): ExportRecord | undefined {
    const stored = this.state.streams[stream]?.exports.find((e) => sameWindow(e, window));
    if (!stored) return undefined;
    return {
      id: stored.id,
      window: { ...window },
      request: structuredClone(stored.request) as ExportRequest,
      createdAtMs: Date.parse(stored.createdAt),
    };
  }

  async saveExport(stream: string, record: ExportRecord): Promise<void> {
    const exports = this.stream(stream).exports;
    const others = exports.filter((e) => !sameWindow(e, record.window));
    const stored = {
      id: record.id,
      ...windowTo(record.window),
      request: structuredClone(record.request),
      createdAt: new Date(record.createdAtMs).toISOString(),
    };
    exports.splice(0, exports.length, ...others, stored);
    await this.save();
  }

  async clearExport(stream: string, window: TimeWindow): Promise<void> {
    const exports = this.state.streams[stream]?.exports;
    if (!exports) return;
    const kept = exports.filter((e) => !sameWindow(e, window));
    exports.splice(0, exports.length, ...kept);
    await this.save();
  }

  exportDurations(object: string): number[] {
    return [...(this.state.exportDurations[object] ?? [])];
  }

  async addExportDuration(object: string, durationMs: number): Promise<void> {
    const list = [...(this.state.exportDurations[object] ?? []), durationMs];
    this.state.exportDurations[object] = list.slice(-this.durationsKept);
    await this.save();
  }

  get(stream: string, key: string): unknown {
    const value = this.state.streams[stream]?.values[key];
    return value === undefined ? undefined : structuredClone(value);
  }

  async set(stream: string, key: string, value: unknown): Promise<void> {
    if (SECRET_KEY.test(key)) {
      throw new StateError(`state key '${key}' looks like a credential; the state holds none`);
    }
    // A JSON round trip now, so the stored value is exactly what a later run will read.
    const stored: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value));
    this.stream(stream).values[key] = stored;
    await this.save();
  }

  /** Waits for pending writes and releases the lock. The store is unusable afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.saving;
    } finally {
      await this.lock.release();
    }
  }

  private stream(stream: string): StoredStream {
    this.state.streams[stream] ??= { windows: [], exports: [], values: {} };
    return this.state.streams[stream];
  }

  private save(): Promise<void> {
    if (this.closed) return Promise.reject(new StateError(`state ${this.path} is closed`));
    const text = JSON.stringify(this.state, null, 2) + '\n';
    const write = async () => {
      await writeFileAtomic(this.path, text, { fsync: true });
      await fsyncPath(path.dirname(this.path));
    };
    // Chained, so writes land in call order even when callers do not await each other.
    const next = this.saving.then(write, write);
    this.saving = next.catch(() => undefined);
    return next;
  }
}

async function readState(file: string): Promise<StateFile> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw error;
  }
  return parseState(text, file);
}

function sameWindow(stored: { start: string; end: string }, window: TimeWindow): boolean {
  return Date.parse(stored.start) === window.startMs && Date.parse(stored.end) === window.endMs;
}

function windowTo(window: TimeWindow): { start: string; end: string } {
  return { start: iso(window.startMs), end: iso(window.endMs) };
}

function markTo(mark: Mark): { at: string | null; id: number } {
  return { at: mark.atMs === null ? null : iso(mark.atMs), id: mark.id };
}

function markFrom(mark: { at: string | null; id: number } | null): Mark | null {
  if (mark === null) return null;
  return { atMs: mark.at === null ? null : Date.parse(mark.at), id: mark.id };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
