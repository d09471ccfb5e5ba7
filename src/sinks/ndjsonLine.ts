import type { PardotRecord } from '../pardot/types';
import { jsonValue } from './columnValue';
import type { TableColumn } from './tableColumns';

/** `"name":` of each column, JSON-escaped once per column list rather than once per row. */
const prefixesOf = new WeakMap<readonly TableColumn[], string[]>();

/**
 * One record as an NDJSON line (with the trailing newline): every table column in table
 * order, absent fields as null, values encoded by `jsonValue`. Keys outside the columns are
 * left out. The line is what `JSON.stringify` gives for the same object (strings are escaped
 * by it, so a line never splits), written out directly: it runs once per row.
 */
export function ndjsonLine(row: PardotRecord, columns: readonly TableColumn[]): string {
  let prefixes = prefixesOf.get(columns);
  if (!prefixes) {
    prefixes = columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`);
    prefixesOf.set(columns, prefixes);
  }

  let line = '';
  for (let i = 0; i < columns.length; i += 1) {
    const column = columns[i];
    line += prefixes[i] + encode(jsonValue(column.type, row[column.key], column.name));
  }
  return columns.length === 0 ? '{}\n' : `${line}}\n`;
}

function encode(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}
