import { objectSpec, v5FieldName, type FieldType } from './catalogue';
import type { LocalTime } from './LocalTime';
import type { PardotRecord, RecordValue } from './types';

/** How timestamps arrive: naive local `YYYY-MM-DD HH:MM:SS` (v3/v4, CSV) or ISO 8601 (v5). */
export type TimestampForm = 'naive' | 'iso';

type Converter = (value: unknown) => RecordValue;

interface Column {
  name: string;
  convert: Converter;
}

/**
 * Types raw rows of one object by the catalogue. Built once per object and timestamp form,
 * with a precomputed key -> (column name, converter) map, because typing runs per row on every
 * page and must stay well under the 2 ms a page budget.
 *
 * - Keys: v3/v4 snake_case and v5 camelCase names both map to the snake_case column.
 * - Empty strings and nulls become null (an empty XML element, an empty CSV cell).
 * - Unknown keys (custom fields) are kept: lists stay string arrays (an empty list is null),
 *   scalars become strings, nested objects other than `{value: ...}` lists are dropped
 *   (relations of full output).
 */
export class RecordTyper {
  private readonly columns = new Map<string, Column>();

  constructor(object: string, form: TimestampForm, time: () => LocalTime) {
    const spec = objectSpec(object);
    for (const field of spec.fields) {
      const column = { name: field.name, convert: converterFor(field.type, form, time) };
      this.columns.set(field.name, column);
      // v5 replies use the catalogue's v5 name; v5 export headers may use the plain camelCase.
      for (const alias of [v5FieldName(field), camelCase(field.name)]) {
        if (alias && alias !== field.name && !this.columns.has(alias)) {
          this.columns.set(alias, column);
        }
      }
    }
  }

  /**
   * Types records given as cells in `header` order (export CSV). Each header cell's column is
   * looked up once; an empty cell is null, as `type` reads an empty string.
   */
  cells(header: readonly string[]): (cells: readonly string[]) => PardotRecord {
    const columns = header.map((key) => this.columns.get(key));
    return (cells) => {
      const out: PardotRecord = {};
      for (let i = 0; i < header.length; i += 1) {
        const value = cells[i];
        const column = columns[i];
        if (column) {
          out[column.name] = value === undefined || value === '' ? null : column.convert(value);
        } else if (value !== undefined && value !== '') {
          out[header[i]] = value;
        }
      }
      return out;
    };
  }

  type(raw: Record<string, unknown>): PardotRecord {
    const out: PardotRecord = {};
    for (const key in raw) {
      const value = raw[key];
      const column = this.columns.get(key);
      if (column) {
        out[column.name] = value === null || value === '' ? null : column.convert(value);
        continue;
      }
      const kept = keepUnknown(value);
      if (kept !== undefined) out[key] = kept;
    }
    return out;
  }
}

function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function converterFor(type: FieldType, form: TimestampForm, time: () => LocalTime): Converter {
  switch (type) {
    case 'int':
    case 'num':
      return toNumber;
    case 'bool':
      return toBoolean;
    case 'list':
      return toList;
    case 'ts':
      return form === 'iso' ? isoToDate : (v) => naiveToDate(v, time());
    default:
      return toText;
  }
}

function toNumber(value: unknown): RecordValue {
  if (typeof value === 'number') return value;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function toBoolean(value: unknown): RecordValue {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true' || value === 'TRUE') return true;
  if (value === 0 || value === '0' || value === 'false' || value === 'FALSE') return false;
  return null;
}

function toText(value: unknown): RecordValue {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function toList(value: unknown): RecordValue {
  const list = listOf(value);
  return list ?? (value === undefined ? null : [String(value)]);
}

function isoToDate(value: unknown): RecordValue {
  const ms = Date.parse(String(value));
  return Number.isNaN(ms) ? null : new Date(ms);
}

function naiveToDate(value: unknown, time: LocalTime): RecordValue {
  const text = String(value);
  // Some replies carry an ISO form with an offset; it needs no zone.
  if (text.length > 19) return isoToDate(text);
  return new Date(time.toEpochMs(text));
}

/**
 * Multi-value fields: a JSON array, or XML's `{value: x | x[]}` after parsing. An empty list
 * is null: XML cannot tell an element with no `<value>` children from an empty field, and the
 * JSON Pardot serves is a conversion of that XML tree, so both formats must read it the same.
 */
function listOf(value: unknown): string[] | null | undefined {
  if (Array.isArray(value)) return value.length === 0 ? null : value.map((v) => String(v));
  if (value !== null && typeof value === 'object' && 'value' in value) {
    const inner = (value as { value: unknown }).value;
    return Array.isArray(inner) ? inner.map((v) => String(v)) : [String(inner)];
  }
  return undefined;
}

function keepUnknown(value: unknown): RecordValue | undefined {
  if (value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return listOf(value);
}
