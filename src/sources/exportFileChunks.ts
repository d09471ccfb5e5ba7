import { pipeline } from 'node:stream';

import { parse } from 'csv-parse';

import { type RetryTransientOptions, transientDelayMs } from '../operators/retryTransient';
import { PardotPipesError, RetriableError } from '../pardot/errors';
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
  /** Delays between tries of a file cut off mid-download. Default retryTransient's. */
  retry?: RetryTransientOptions;
}

/** Tries of one file before its error stands. */
const DOWNLOAD_TRIES = 4;

/**
 * Streams export files one after the other, parsing each CSV as it downloads (csv-parse,
 * header row as column names) and typing rows through `api.typeRow`. Reading is pulled: the
 * next rows are read only when the consumer asks for the next chunk, so a slow sink does not
 * make the whole file pile up in memory. Empty cells are nulls in Pardot's CSV (the typer
 * reads an empty string as null). A download cut off mid-body (reset, truncated, unparsable)
 * is fetched again with the transient retry delays and resumes after the rows already taken,
 * so no row is lost or repeated.
 */
export async function* exportFileChunks(
  api: PardotApi,
  urls: readonly string[],
  options: ExportFileOptions,
): AsyncGenerator<Chunk> {
  const batch: PardotRecord[] = [];
  for (const url of urls) {
    // Rows of this file already taken: a file's rows come in the same order each time it is
    // read, so a retry skips them.
    const file = { taken: 0 };
    for (let attempt = 1; ; attempt += 1) {
      try {
        for await (const _ of fileRows(api, url, file, batch, options)) {
          yield { rows: batch.splice(0), mark: null };
        }
        break;
      } catch (error) {
        if (!isTransient(error) || attempt >= DOWNLOAD_TRIES) throw error;
        await sleep(transientDelayMs(attempt, options.retry), options.signal);
      }
    }
  }
  if (batch.length > 0) yield { rows: batch, mark: null };
}

/**
 * Reads one file from its start, skips the `file.taken` rows taken by earlier tries, pushes
 * its typed in-window rows into `batch` (counting them in `file.taken` as they go, so a cut
 * anywhere leaves an exact count) and yields whenever the batch is full.
 */
async function* fileRows(
  api: PardotApi,
  url: string,
  file: { taken: number },
  batch: PardotRecord[],
  options: ExportFileOptions,
): AsyncGenerator<void> {
  const skip = file.taken;
  const body = await api.download(url, { signal: options.signal, object: options.object });
  // pipeline carries a body error (a cut connection) into the parser, where the loop sees it.
  // Records come as arrays (cheaper than csv-parse's objects), typed by the header's fields.
  const parser = pipeline(body, parse({ bom: true }), () => {});
  let typeCells: ((cells: readonly string[]) => PardotRecord) | null = null;
  let seen = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (typeCells === null) {
        typeCells = api.csvTyper(options.object, cells);
        continue;
      }
      seen += 1;
      if (seen <= skip) continue;
      const row = typeCells(cells);
      if (inWindow(row, options)) batch.push(row);
      file.taken += 1;
      if (batch.length >= options.pageSize) yield;
    }
  } finally {
    body.destroy();
    parser.destroy();
  }
}

/** A cut-off or garbled download is worth another try; auth, quota and bad requests are not. */
function isTransient(error: unknown): boolean {
  if (error instanceof PardotPipesError) return error instanceof RetriableError;
  return !(error instanceof Error && error.name === 'AbortError');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

function inWindow(row: PardotRecord, options: ExportFileOptions): boolean {
  const value = row[options.field];
  if (!(value instanceof Date)) return true;
  const ms = value.getTime();
  return ms >= options.window.startMs && ms < options.window.endMs;
}
