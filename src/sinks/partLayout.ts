import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import type { Mark, TimeWindow } from '../sources/types';

/**
 * Where parts live and what they are called:
 *
 *   <out>/<table>/date=YYYY-MM-DD/part-<window>-<start>-<n>.<ext>
 *
 * - `<window>`: 8 hex digits of a hash of the stream id and the window bounds. Every part of
 *   one stream's window shares it, which is how a re-run finds an earlier attempt's parts.
 * - `<start>`: the mark the part starts after, readable so that parts can be ordered:
 *   `s` (the window's start), `i<id>` (id cursor) or `t<epochMs>i<id>` (time cursor).
 * - `<n>`: counts parts that start at the same mark in the same directory (a source without
 *   marks rolls files without moving its mark).
 *
 * A re-run of the same range from the same mark produces the same names, so its files
 * replace the earlier ones instead of sitting beside them.
 *
 * Temp files sit in the same directory as `.part-....<ext>.<pid>.tmp`: the rename is atomic
 * because it never crosses a file system, and neither `*.parquet` nor `*.ndjson` globs match.
 */

/** UTC calendar date of an instant, `YYYY-MM-DD`. */
export function utcDate(ms: number): string {
  // Called per row to route it to its partition; consecutive rows mostly share a day.
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    lastDay = day;
    lastDate = new Date(day * DAY_MS).toISOString().slice(0, 10);
  }
  return lastDate;
}

let lastDay = Number.NaN;
let lastDate = '';

/** Every UTC date a window [startMs, endMs) touches, oldest first. */
export function windowDates(window: TimeWindow): string[] {
  const dates: string[] = [];
  const last = utcDate(Math.max(window.startMs, window.endMs - 1));
  for (let ms = window.startMs; ; ms += DAY_MS) {
    const date = utcDate(ms);
    dates.push(date);
    if (date >= last) return dates;
  }
}

const DAY_MS = 86_400_000;

export function partitionDir(out: string, table: string, date: string): string {
  return path.join(out, table, `date=${date}`);
}

export function windowPrefix(stream: string, window: TimeWindow): string {
  const text = `${stream}\u0000${window.startMs}\u0000${window.endMs}`;
  return createHash('sha1').update(text).digest('hex').slice(0, 8);
}

export function markKey(mark: Mark | null): string {
  if (mark === null) return 's';
  return mark.atMs === null ? `i${mark.id}` : `t${mark.atMs}i${mark.id}`;
}

/** Reads a mark key back; undefined when the text is not one. */
export function parseMarkKey(key: string): Mark | null | undefined {
  if (key === 's') return null;
  const match = /^(?:t(\d+))?i(\d+)$/.exec(key);
  if (!match) return undefined;
  return { atMs: match[1] === undefined ? null : Number(match[1]), id: Number(match[2]) };
}

/** Orders marks as (timestamp, id) tuples; null, the window's start, sorts first. */
export function compareMarks(a: Mark | null, b: Mark | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const byTime = (a.atMs ?? 0) - (b.atMs ?? 0);
  return byTime !== 0 ? byTime : a.id - b.id;
}

export function partName(prefix: string, start: Mark | null, n: number, ext: string): string {
  return `part-${prefix}-${markKey(start)}-${n}.${ext}`;
}

export interface ParsedPartName {
  prefix: string;
  start: Mark | null;
  n: number;
}

export function parsePartName(name: string, ext: string): ParsedPartName | undefined {
  if (!name.startsWith('part-') || !name.endsWith(`.${ext}`)) return undefined;
  const [prefix, key, n, ...rest] = name.slice(5, -ext.length - 1).split('-');
  if (rest.length > 0 || prefix === undefined || key === undefined || n === undefined) return;
  const start = parseMarkKey(key);
  if (start === undefined || !/^\d+$/.test(n)) return undefined;
  return { prefix, start, n: Number(n) };
}

/** The temp path a part is written to before it is renamed to `finalPath`. */
export function tempPath(finalPath: string, pid: number = process.pid): string {
  // The sequence keeps two attempts in one process apart: an aborted sink removes its temp
  // files after it has been torn down, and must not remove the next attempt's.
  tempSequence += 1;
  const name = `.${path.basename(finalPath)}.${pid}-${tempSequence}.tmp`;
  return path.join(path.dirname(finalPath), name);
}

let tempSequence = 0;

/** A temp part: `.part-...<ext>.<pid>[-<sequence>].tmp`; group 1 is the writer's pid. */
const TEMP = /^\.part-.*\.(\d+)(?:-\d+)?\.tmp$/;

/**
 * Removes temp parts left by runs that died (a crash, SIGKILL) under `<out>/<table>`. Temp
 * files of a live process are kept: another sink of this run may be writing them.
 * Returns the removed paths.
 */
export async function removeStaleTemps(tableDir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of await listDirs(tableDir)) {
    for (const name of await listNames(dir)) {
      const match = TEMP.exec(name);
      if (!match || isAlive(Number(match[1]))) continue;
      await fs.rm(path.join(dir, name), { force: true });
      removed.push(path.join(dir, name));
    }
  }
  return removed;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function listDirs(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name));
}

export async function listNames(dir: string): Promise<string[]> {
  return fs.readdir(dir).catch(() => []);
}
