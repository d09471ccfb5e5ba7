import type { OperatorFunction } from 'rxjs';

import type { Page } from '../sources/types';
import { fileSink, type FileSinkOptions } from './fileSink';
import { parquetFormat, type ParquetFormatOptions } from './parquetFormat';
import type { Commit } from './types';

export interface ParquetSinkOptions extends FileSinkOptions, ParquetFormatOptions {}

/**
 * Writes pages as typed Parquet parts under `<out>/<table>/date=YYYY-MM-DD/` and emits a
 * Commit once the parts holding every row up to its mark are in place (see fileSink for the
 * layout and commit rules, parquetSchema for the column types).
 *
 * @example
 * pages$.pipe(parquetSink({ out: './lake', extractedAtMs: runStartMs }), checkpoint(state))
 */
export function parquetSink(options: ParquetSinkOptions): OperatorFunction<Page, Commit> {
  return fileSink(parquetFormat(options), options);
}
