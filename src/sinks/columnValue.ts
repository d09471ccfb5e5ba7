import type { FieldType } from '../pardot/catalogue';
import { SinkError } from '../pardot/errors';

/** A value as hyparquet-writer takes it for a column of the given type. */
export type ParquetValue = bigint | number | string | boolean | string[] | null;

/** A value as it appears in an NDJSON line. */
export type JsonValue = number | string | boolean | string[] | null;

const INTEGER = /^-?\d+$/;

/**
 * Converts a record value for a Parquet column. Records arrive typed (see PardotRecord); this
 * only accepts the unambiguous spellings of the same value (an integer as a digit string, a
 * boolean as 1/0) and throws a SinkError for anything else, because writing a wrong value
 * silently would be worse than stopping with the mark saved. Absent means null.
 */
export function parquetValue(type: FieldType, value: unknown, column: string): ParquetValue {
  if (value === null || value === undefined) return null;

  switch (type) {
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
      if (typeof value === 'bigint') return value;
      if (typeof value === 'string' && INTEGER.test(value)) return BigInt(value);
      break;
    case 'ts':
      return timestampMs(value, column);
    default:
      return commonValue(type, value, column);
  }
  throw mismatch(type, value, column);
}

/**
 * Converts a record value for NDJSON: ids and counts as JSON numbers, or as decimal strings
 * beyond 2^53 where a JSON number would lose digits in most readers; timestamps as ISO 8601
 * UTC with milliseconds and `Z`.
 */
export function jsonValue(type: FieldType, value: unknown, column: string): JsonValue {
  if (value === null || value === undefined) return null;

  switch (type) {
    case 'int':
      return jsonInteger(value, column);
    case 'ts':
      return new Date(timestampMs(value, column)).toISOString();
    default:
      return commonValue(type, value, column);
  }
}

function jsonInteger(value: unknown, column: string): number | string {
  if (typeof value === 'number' && Number.isInteger(value)) {
    return Number.isSafeInteger(value) ? value : BigInt(value).toString();
  }
  if (typeof value === 'bigint' || (typeof value === 'string' && INTEGER.test(value))) {
    const big = BigInt(value);
    const safe = big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER);
    return safe ? Number(big) : big.toString();
  }
  throw mismatch('int', value, column);
}

function timestampMs(value: unknown, column: string): number {
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'number'
        ? value
        : typeof value === 'string'
          ? Date.parse(value)
          : Number.NaN;
  if (!Number.isFinite(ms)) throw mismatch('ts', value, column);
  return ms;
}

function commonValue(type: FieldType, value: unknown, column: string): JsonValue {
  switch (type) {
    case 'num':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
        return Number(value);
      }
      break;
    case 'str':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      break;
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 1 || value === '1' || value === 'true') return true;
      if (value === 0 || value === '0' || value === 'false') return false;
      break;
    case 'list':
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
      if (typeof value === 'string') return [value];
      break;
  }
  throw mismatch(type, value, column);
}

function mismatch(type: FieldType, value: unknown, column: string): SinkError {
  // The value itself stays out of the message: it may be personal data.
  const got =
    value instanceof Date ? 'invalid Date' : Array.isArray(value) ? 'array' : typeof value;
  return new SinkError(`column '${column}' (${type}) cannot hold a ${got} value`, {
    operation: 'sink.encode',
  });
}
