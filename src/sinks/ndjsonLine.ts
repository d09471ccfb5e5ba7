import type { PardotRecord } from '../pardot/types';
import { jsonValue } from './columnValue';
import type { TableColumn } from './tableColumns';

/**
 * One record as an NDJSON line (with the trailing newline): every table column in table
 * order, absent fields as null, values encoded by `jsonValue`. Keys outside the columns are
 * left out. JSON.stringify escapes newlines and quotes, so a line never splits.
 */
export function ndjsonLine(row: PardotRecord, columns: readonly TableColumn[]): string {
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    out[column.name] = jsonValue(column.type, row[column.key], column.name);
  }
  return JSON.stringify(out) + '\n';
}
