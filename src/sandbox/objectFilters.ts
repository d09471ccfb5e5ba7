import type { FilterKind, ObjectSpec } from '../pardot/catalogue';
import type { Account } from './Account';
import type { ParamProblem } from './PardotFault';
import { parseDateInput } from './parseDateInput';
import type { StoredRow } from './StoredRow';

type Predicate = (row: StoredRow) => boolean;

/** Filter parameter -> the row field it tests, where the names differ. */
const FIELD_OF: Record<string, string> = {
  custom_url_id: 'custom_redirect_id',
  ids: 'id',
  visitor_ids: 'visitor_id',
  prospect_ids: 'prospect_id',
};

const GRADES = ['F', 'D-', 'D', 'D+', 'C-', 'C', 'C+', 'B-', 'B', 'B+', 'A-', 'A', 'A+'];

/**
 * Turns one object-specific filter (`type=1,6`, `score_greater_than=50`, `email_only=true`)
 * into a row test. `deleted` is not handled here (it chooses the recycle bin). Returns a
 * problem for an unreadable value.
 */
export function objectFilter(
  spec: ObjectSpec,
  name: string,
  raw: string,
  account: Account,
  nowMs: number,
): Predicate | ParamProblem | null {
  const kind = spec.filters[name] as FilterKind;
  const bad = (what: string): ParamProblem => ({
    param: name,
    message: `Invalid ${what} for ${name}: '${raw}'`,
  });
  if (kind === 'intList' || kind === 'int') {
    const values = raw.split(',').map((v) => Number(v.trim()));
    if (values.some((v) => !Number.isInteger(v))) return bad('integer');
    return numberFilter(name, values);
  }
  if (kind === 'bool' || kind === 'flag') {
    const on = parseBool(raw);
    if (on === null) return bad('boolean');
    return boolFilter(spec, name, on);
  }
  if (kind === 'grade') {
    const g = GRADES.indexOf(raw.trim().toUpperCase());
    if (g < 0) return bad('grade');
    return gradeFilter(name, g);
  }
  if (kind === 'ts') {
    const ms = parseDateInput(raw, account.days, nowMs);
    if (ms === null) return bad('timestamp');
    const field = name.replace(/_(after|before)$/, '_at');
    const after = name.endsWith('_after');
    return (row) => {
      const v = row.data[field];
      return typeof v === 'number' && (after ? v > ms : v < ms);
    };
  }
  return stringFilter(name, raw, account);
}

export function parseBool(raw: string): boolean | null {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return null;
}

function numberFilter(name: string, values: number[]): Predicate {
  const m = /^(score|probability|value)_(equal_to|greater_than|less_than)$/.exec(name);
  if (m) {
    const [field, op, x] = [m[1], m[2], values[0]];
    return (row) => {
      const v = row.data[field];
      if (typeof v !== 'number') return false;
      return op === 'equal_to' ? v === x : op === 'greater_than' ? v > x : v < x;
    };
  }
  const field = FIELD_OF[name] ?? name;
  const set = new Set(values);
  if (field === 'id') return (row) => set.has(row.id);
  return (row) => set.has(row.data[field] as number);
}

function boolFilter(spec: ObjectSpec, name: string, on: boolean): Predicate | null {
  if (name === 'only_identified' || name === 'prospect_only') {
    return on ? (row) => row.data.prospect_id != null : null;
  }
  if (name.endsWith('_only')) {
    const field = `${name.slice(0, -5).replace('custom_url', 'custom_redirect')}_id`;
    return on ? (row) => row.data[field] !== undefined && row.data[field] !== null : null;
  }
  if (name === 'last_activity_never') {
    return on ? (row) => row.data.last_activity_at == null : null;
  }
  if (spec.fields.some((f) => f.name === name)) return (row) => row.data[name] === on;
  // assigned, new, limit_related_records: accepted, and without a stored field to test.
  return null;
}

function gradeFilter(name: string, g: number): Predicate {
  return (row) => {
    const v = GRADES.indexOf(String(row.data.grade ?? ''));
    if (v < 0) return false;
    if (name.endsWith('equal_to')) return v === g;
    return name.endsWith('greater_than') ? v > g : v < g;
  };
}

function stringFilter(name: string, raw: string, account: Account): Predicate | null {
  if (name === 'prospect_email') {
    const prospects = account.table('prospect').segments({}, Infinity)[0].byId();
    const ids = new Set(prospects.filter((p) => p.data.email === raw).map((p) => p.id));
    return (row) => ids.has(row.data.prospect_id as number);
  }
  if (name === 'assigned_to_user') return null;
  return (row) => row.data[name] === raw;
}
