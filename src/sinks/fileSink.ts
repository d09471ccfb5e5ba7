import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { concatMap, defer, filter, finalize, from, type OperatorFunction } from 'rxjs';

import { fsyncPath } from '../fsyncPath';
import { objectSpec, type ObjectSpec } from '../pardot/catalogue';
import { PardotPipesError, SinkError } from '../pardot/errors';
import type { PardotRecord } from '../pardot/types';
import type { Mark, Page, TimeWindow } from '../sources/types';
import {
  compareMarks,
  listNames,
  markKey,
  parsePartName,
  partitionDir,
  partName,
  removeStaleTemps,
  tempPath,
  utcDate,
  windowDates,
  windowPrefix,
} from './partLayout';
import type { PartFormat, PartWriter } from './PartWriter';
import { tableColumns, type ExtraColumn, type TableColumn } from './tableColumns';
import type { Commit } from './types';

export interface FileSinkOptions {
  /** Lake root directory. Required. */
  out: string;
  /**
   * When a window of an entity object was extracted, epoch ms: the partition date of its
   * snapshot. A function lets a resumed window keep the date its first attempt used, so its
   * parts replace that attempt's instead of landing beside them. Default: now.
   */
  extractedAtMs?: number | ((stream: string, window: TimeWindow) => number);
  /** Declared extra columns per object (catalogue name), e.g. custom fields. Default none. */
  extraColumns?: Readonly<Record<string, readonly ExtraColumn[]>>;
  /** A part holding this many rows is rolled after the page that reached it. Default 1,000,000. */
  maxFileRows?: number;
  /** A part of this many bytes is rolled after the page that reached it. Default 256 MiB. */
  maxFileBytes?: number;
  /**
   * The mark a stream's window resumes from (its saved progress), so parts are named after
   * it and stale parts of an earlier attempt are told from committed ones. Default: none,
   * every window starts from its beginning.
   */
  resumeFrom?: (stream: string, window: TimeWindow) => Mark | null;
  /** Told what the sink did. Default: nothing. */
  onEvent?: (event: SinkEvent) => void;
}

export type SinkEvent =
  /** A page's rows were handed to the writers (not yet committed). */
  | { type: 'page-written'; stream: string; rows: number }
  /** A part was renamed into place. */
  | { type: 'part'; path: string; rows: number }
  /** A part of an earlier attempt at the same window, not rewritten by this one, was removed. */
  | { type: 'stale-part-removed'; path: string }
  /** A temp file of a dead run was removed. */
  | { type: 'temp-removed'; path: string }
  /**
   * At a window's commit: record keys that are neither catalogue fields nor declared extra
   * columns, with how many values each had. Those values were not written; declare the key
   * through `extraColumns` to keep it.
   */
  | { type: 'ignored-keys'; stream: string; object: string; counts: Record<string, number> };

interface OpenPart {
  dir: string;
  finalPath: string;
  tempPath: string;
  writer: PartWriter;
}

interface Group {
  stream: string;
  spec: ObjectSpec;
  window: TimeWindow;
  columns: readonly TableColumn[];
  known: ReadonlySet<string>;
  prefix: string;
  /** Where this attempt started in the window. */
  resume: Mark | null;
  /** Mark the open parts start after. */
  start: Mark | null;
  /** Mark of the last page written. */
  last: Mark | null;
  parts: Map<string, OpenPart>;
  next: Map<string, number>;
  produced: Set<string>;
  dirs: Set<string>;
  rows: number;
  /** Values of undeclared keys left out, by key. */
  ignored: Record<string, number>;
}

/**
 * The file sink behind parquetSink and ndjsonSink: writes each page to the parts of its
 * (stream, window), one open part per partition date, and emits a Commit when parts are
 * finished, fsynced and renamed into place:
 *
 * - on a roll, after a page took a part past `maxFileRows` or `maxFileBytes` (every open part
 *   of the window is closed, so the commit's mark covers every row before it);
 * - at the window's last page (`windowDone`), after which parts of an earlier attempt at the
 *   same window that start at or after this attempt's resume mark, and that this attempt did
 *   not rewrite, are removed: they hold rows this attempt has just written again.
 *
 * Pages are taken one at a time (concatMap): the next page waits until the last one is
 * written, which is the back-pressure on the source. On error or unsubscribe, open parts
 * are aborted and their temp files removed; rows not yet committed are simply re-read.
 */
export function fileSink(
  format: PartFormat,
  options: FileSinkOptions,
): OperatorFunction<Page, Commit> {
  return (pages) =>
    defer(() => {
      const sink = new FileSink(format, options);
      return pages.pipe(
        concatMap((page) => from(sink.accept(page))),
        filter((commit): commit is Commit => commit !== null),
        finalize(() => void sink.abortAll()),
      );
    });
}

class FileSink {
  private readonly groups = new Map<string, Group>();
  private readonly cleaned = new Set<string>();
  private readonly extractedAt: (stream: string, window: TimeWindow) => number;
  private readonly maxFileRows: number;
  private readonly maxFileBytes: number;

  constructor(
    private readonly format: PartFormat,
    private readonly options: FileSinkOptions,
  ) {
    const extracted = options.extractedAtMs ?? Date.now();
    this.extractedAt = typeof extracted === 'number' ? () => extracted : extracted;
    this.maxFileRows = options.maxFileRows ?? 1_000_000;
    this.maxFileBytes = options.maxFileBytes ?? 256 * 1024 * 1024;
  }

  async accept(page: Page): Promise<Commit | null> {
    try {
      return await this.write(page);
    } catch (error) {
      if (error instanceof PardotPipesError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new SinkError(`cannot write ${page.object} parts: ${reason}`, {
        object: page.object,
        operation: 'sink.write',
        cause: error,
      });
    }
  }

  private async write(page: Page): Promise<Commit | null> {
    const group = await this.group(page);
    this.countIgnoredKeys(group, page.rows);

    for (const [date, rows] of this.route(group, page.rows)) {
      const part = group.parts.get(date) ?? (await this.openPart(group, date));
      await part.writer.write(rows);
    }
    group.rows += page.rows.length;
    if (page.mark !== null) group.last = page.mark;
    this.options.onEvent?.({ type: 'page-written', stream: page.stream, rows: page.rows.length });

    if (page.last) return this.commitWindow(group);
    if (this.full(group)) return this.roll(group);
    return null;
  }

  private async group(page: Page): Promise<Group> {
    const key = `${page.stream}\u0000${page.window.startMs}\u0000${page.window.endMs}`;
    const existing = this.groups.get(key);
    if (existing) return existing;

    const spec = objectSpec(page.object);
    await this.cleanTemps(spec.table);
    const columns = tableColumns(spec.name, this.options.extraColumns?.[spec.name]);
    const resume = this.options.resumeFrom?.(page.stream, page.window) ?? null;
    const group: Group = {
      stream: page.stream,
      spec,
      window: page.window,
      columns,
      known: new Set(columns.map((c) => c.key)),
      prefix: windowPrefix(page.stream, page.window),
      resume,
      start: resume,
      last: resume,
      parts: new Map(),
      next: new Map(),
      produced: new Set(),
      dirs: new Set(),
      rows: 0,
      ignored: {},
    };
    this.groups.set(key, group);
    return group;
  }

  private async cleanTemps(table: string): Promise<void> {
    if (this.cleaned.has(table)) return;
    this.cleaned.add(table);
    for (const removed of await removeStaleTemps(path.join(this.options.out, table))) {
      this.options.onEvent?.({ type: 'temp-removed', path: removed });
    }
  }

  private countIgnoredKeys(group: Group, rows: readonly PardotRecord[]): void {
    // Rows of a page mostly carry the same keys in the same order (one typer made them): a
    // row whose keys match the previous one's reuses its verdict instead of a set look-up
    // per key.
    let previous: string[] = [];
    let unknown: string[] = [];
    for (const row of rows) {
      if (!hasKeys(row, previous)) {
        previous = Object.keys(row);
        unknown = previous.filter((key) => !group.known.has(key));
      }
      for (const key of unknown) {
        if (row[key] !== undefined) group.ignored[key] = (group.ignored[key] ?? 0) + 1;
      }
    }
  }

  /** Rows by partition date, in page order within each date. */
  private route(group: Group, rows: readonly PardotRecord[]): Map<string, PardotRecord[]> {
    const byDate = new Map<string, PardotRecord[]>();
    const fixed = group.spec.kind === 'entity' ? this.snapshotDate(group) : null;
    for (const row of rows) {
      const date = fixed ?? utcDate(eventMs(row.created_at, group.window));
      const list = byDate.get(date);
      if (list) list.push(row);
      else byDate.set(date, [row]);
    }
    return byDate;
  }

  private async openPart(group: Group, date: string): Promise<OpenPart> {
    const dir = partitionDir(this.options.out, group.spec.table, date);
    if (!group.dirs.has(dir)) {
      const created = await fs.mkdir(dir, { recursive: true });
      // A new directory's own entry must reach the disk before files in it count.
      if (created !== undefined) await fsyncPath(path.dirname(dir));
      group.dirs.add(dir);
    }

    const seq = `${date}/${markKey(group.start)}`;
    const n = group.next.get(seq) ?? 0;
    group.next.set(seq, n + 1);
    const finalPath = path.join(dir, partName(group.prefix, group.start, n, this.format.extension));
    const temp = tempPath(finalPath);
    const writer = await this.format.open(temp, group.columns);
    const part: OpenPart = { dir, finalPath, tempPath: temp, writer };
    group.parts.set(date, part);
    return part;
  }

  private full(group: Group): boolean {
    return [...group.parts.values()].some(
      ({ writer }) => writer.rows >= this.maxFileRows || writer.bytes >= this.maxFileBytes,
    );
  }

  private async roll(group: Group): Promise<Commit> {
    const commit = await this.commitParts(group, false);
    group.start = group.last;
    return commit;
  }

  private async commitWindow(group: Group): Promise<Commit> {
    const commit = await this.commitParts(group, true);
    await this.removeStaleParts(group);
    if (Object.keys(group.ignored).length > 0) {
      const { stream, ignored: counts } = group;
      this.options.onEvent?.({ type: 'ignored-keys', stream, object: group.spec.name, counts });
    }
    this.groups.delete(`${group.stream}\u0000${group.window.startMs}\u0000${group.window.endMs}`);
    return commit;
  }

  /** Finishes, renames and fsyncs every open part of the group; then the commit holds. */
  private async commitParts(group: Group, windowDone: boolean): Promise<Commit> {
    const parts = [...group.parts.values()];
    group.parts.clear();
    try {
      for (const part of parts) await part.writer.finish();
    } catch (error) {
      await Promise.all(parts.map((p) => p.writer.abort()));
      throw error;
    }

    for (const part of parts) {
      await fs.rename(part.tempPath, part.finalPath);
      group.produced.add(part.finalPath);
    }
    for (const dir of new Set(parts.map((p) => p.dir))) await fsyncPath(dir);
    for (const part of parts) {
      this.options.onEvent?.({ type: 'part', path: part.finalPath, rows: part.writer.rows });
    }

    const rows = group.rows;
    group.rows = 0;
    const { stream, window } = group;
    const files = parts.map((p) => p.finalPath);
    return { stream, object: group.spec.name, window, mark: group.last, windowDone, rows, files };
  }

  private snapshotDate(group: Group): string {
    return utcDate(this.extractedAt(group.stream, group.window));
  }

  private async removeStaleParts(group: Group): Promise<void> {
    const dates =
      group.spec.kind === 'entity' ? [this.snapshotDate(group)] : windowDates(group.window);
    const dirs = new Set([
      ...dates.map((d) => partitionDir(this.options.out, group.spec.table, d)),
      ...group.dirs,
    ]);

    for (const dir of dirs) {
      let removed = false;
      for (const name of await listNames(dir)) {
        const parsed = parsePartName(name, this.format.extension);
        const file = path.join(dir, name);
        if (!parsed || parsed.prefix !== group.prefix || group.produced.has(file)) continue;
        // Parts before the resume mark hold rows committed by the earlier attempt.
        if (compareMarks(parsed.start, group.resume) < 0) continue;
        await fs.rm(file, { force: true });
        removed = true;
        this.options.onEvent?.({ type: 'stale-part-removed', path: file });
      }
      if (removed) await fsyncPath(dir);
    }
  }

  async abortAll(): Promise<void> {
    const parts = [...this.groups.values()].flatMap((g) => [...g.parts.values()]);
    this.groups.clear();
    await Promise.all(parts.map((p) => p.writer.abort()));
  }
}

/** Partition instant of an event row: its created_at, else the window's start. */
function eventMs(createdAt: unknown, window: TimeWindow): number {
  if (createdAt instanceof Date && Number.isFinite(createdAt.getTime())) return createdAt.getTime();
  if (typeof createdAt === 'number' && Number.isFinite(createdAt)) return createdAt;
  if (typeof createdAt === 'string' && Number.isFinite(Date.parse(createdAt))) {
    return Date.parse(createdAt);
  }
  return window.startMs;
}

/** Whether a row's own keys are exactly `keys`, in order (without building its key list). */
function hasKeys(row: PardotRecord, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in row) {
    if (key !== keys[i]) return false;
    i += 1;
  }
  return i === keys.length;
}
