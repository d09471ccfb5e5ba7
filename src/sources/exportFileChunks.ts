import { parse } from 'csv-parse';

import type { PardotApi, PardotRecord } from '../pardot/types';
import type { Chunk } from './pagerContext';
import type { TimeWindow } from './types';

export interface ExportFileOptions {
  object: string;
  /** Rows outside [start, end) on this field are dropped (a server reading bounds inclusively). */
  field: 'created_at' | 'updated_at';
  window: TimeWindow;
  /** Rows per chunk. */
  pageSize: number;
  signal: AbortSignal;
}

/**
 * Streams export files one after the other, parsing each CSV as it downloads (csv-parse,
 * header row as column names) and typing rows through `api.typeRow`. Reading is pulled: the
 * next rows are read only when the consumer asks for the next chunk, so a slow sink does not
 * make the whole file pile up in memory. Empty cells are nulls in Pardot's CSV, so they are
 * left out of the raw row (absent fields are written as null).
 */
export async function* exportFileChunks(
  api: PardotApi,
  urls: readonly string[],
  options: ExportFileOptions,
): AsyncGenerator<Chunk> {
  let batch: PardotRecord[] = [];
  for (const url of urls) {
    const body = await api.download(url, { signal: options.signal, object: options.object });
    const parser = body.pipe(parse({ columns: true, bom: true }));
    try {
      for await (const raw of parser as AsyncIterable<Record<string, string>>) {
        const row = api.typeRow(options.object, withoutEmpty(raw));
        if (!inWindow(row, options)) continue;
        batch.push(row);
        if (batch.length < options.pageSize) continue;
        yield { rows: batch, mark: null };
        batch = [];
      }
    } finally {
      body.destroy();
      parser.destroy();
    }
  }
  if (batch.length > 0) yield { rows: batch, mark: null };
}

function withoutEmpty(raw: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in raw) if (raw[key] !== '') out[key] = raw[key];
  return out;
}

function inWindow(row: PardotRecord, options: ExportFileOptions): boolean {
  const value = row[options.field];
  if (!(value instanceof Date)) return true;
  const ms = value.getTime();
  return ms >= options.window.startMs && ms < options.window.endMs;
}
