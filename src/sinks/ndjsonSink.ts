import type { OperatorFunction } from 'rxjs';

import type { Page } from '../sources/types';
import { fileSink, type FileSinkOptions } from './fileSink';
import { ndjsonFormat, type NdjsonFormatOptions } from './ndjsonFormat';
import type { Commit } from './types';

export interface NdjsonSinkOptions extends FileSinkOptions, NdjsonFormatOptions {}

/**
 * Writes pages as NDJSON parts (`.ndjson`, or `.ndjson.gz` with `gzip`) with the same layout,
 * columns and commit rules as parquetSink; one `ndjsonLine` per record.
 */
export function ndjsonSink(options: NdjsonSinkOptions): OperatorFunction<Page, Commit> {
  return fileSink(ndjsonFormat(options), options);
}
