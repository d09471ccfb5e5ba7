import { objectSpec, v5FieldName, type FieldSpec, type ObjectSpec } from '../pardot/catalogue';
import type { Account } from './Account';
import { isoWithOffset } from './isoWithOffset';
import { parseBool } from './objectFilters';
import { PardotFault } from './PardotFault';
import type { SandboxSettings } from './SandboxSettings';
import type { Reply } from './SandboxServer';
import { selectRows, sortValue, type AfterKey, type Selection } from './selectRows';
import type { StoredRow } from './StoredRow';

export interface V5Request {
  collection: string;
  params: URLSearchParams;
  account: Account;
  settings: SandboxSettings;
  nowMs: number;
  baseUrl: string;
}

/** What a page token carries: the query, where the chain stands, and when it expires. */
interface TokenState {
  c: string;
  q: Array<[string, string]>;
  a: AfterKey;
  n: number;
  e: number;
}

const CONTROL = new Set(['fields', 'limit', 'orderBy', 'deleted', 'nextPageToken', 'offset']);
const OPERATORS: Array<[string, 'gt' | 'ge' | 'lt' | 'le']> = [
  ['AfterOrEqualTo', 'ge'],
  ['BeforeOrEqualTo', 'le'],
  ['GreaterThanOrEqualTo', 'ge'],
  ['LessThanOrEqualTo', 'le'],
  ['After', 'gt'],
  ['Before', 'lt'],
  ['GreaterThan', 'gt'],
  ['LessThan', 'lt'],
];

const bad = (message: string, code = 10000) => new PardotFault(code, message, 400);

/**
 * Serves `GET /api/v5/objects/{collection}`. Pages chain through `nextPageToken` (keyset on
 * the order, so a repeated token repeats its page); a chain stops after
 * `settings.v5ChainCap` records with a `Pardot-Warning: 203` header and no token.
 */
export function v5Query(req: V5Request): Reply {
  let spec: ObjectSpec;
  try {
    spec = objectSpec(req.collection);
  } catch {
    throw new PardotFault(2, `Unknown collection: ${req.collection}`, 404);
  }
  const token = req.params.get('nextPageToken');
  const state = token === null ? null : readToken(req, token);
  const params = state ? new URLSearchParams(state.q) : req.params;

  const fieldsRaw = params.get('fields');
  if (!fieldsRaw) throw bad('The fields parameter is required');
  const fields = fieldsRaw.split(',').map((name) => v5Field(spec, name.trim()));
  const limit = Number(params.get('limit') ?? 200);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw bad('limit must be between 1 and 1000');
  const selection = buildSelection(spec, params, req);
  const served = state?.n ?? 0;
  const pageLimit = Math.min(limit, Math.max(0, req.settings.v5ChainCap - served));
  selection.limit = pageLimit + 1;
  selection.after = state?.a;

  const found = selectRows(req.account.table(spec.name), selection, req.nowMs).rows;
  const rows = found.slice(0, pageLimit);
  const more = found.length > pageLimit;
  const total = served + rows.length;
  const capped = more && total >= req.settings.v5ChainCap;

  const headers: Record<string, string> = {};
  const reply: Record<string, unknown> = { values: rows.map((r) => v5Row(req.account, fields, r)) };
  if (more && !capped) {
    const last = rows[rows.length - 1];
    const next: TokenState = {
      c: spec.name,
      q: [...params].filter(([k]) => k !== 'nextPageToken'),
      a: { value: sortValue(last, selection.sortField), id: last.id },
      n: total,
      e: req.nowMs + req.settings.v5TokenLifetimeMs,
    };
    const t = Buffer.from(JSON.stringify(next)).toString('base64url');
    reply.nextPageToken = t;
    reply.nextPageUrl = `${req.baseUrl}/api/v5/objects/${req.collection}?nextPageToken=${t}`;
  } else {
    reply.nextPageToken = null;
    reply.nextPageUrl = null;
  }
  if (capped) {
    headers['pardot-warning'] =
      '203;Record count for nextPageToken sequence has been exceeded. ' +
      'Use a filter to narrow the results.';
  }
  return { contentType: 'application/json', body: JSON.stringify(reply), headers };
}

function readToken(req: V5Request, token: string): TokenState {
  for (const name of req.params.keys()) {
    if (name !== 'nextPageToken' && name !== 'fields') {
      throw bad(`Only fields may be sent with nextPageToken, not ${name}`);
    }
  }
  let state: TokenState;
  try {
    state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as TokenState;
    if (typeof state.n !== 'number' || !Array.isArray(state.q)) throw new Error('bad token');
  } catch {
    throw bad('Invalid nextPageToken', 211);
  }
  if (req.nowMs >= state.e) throw bad('The nextPageToken has expired', 210);
  return state;
}

function v5Field(spec: ObjectSpec, name: string): FieldSpec {
  const field = spec.fields.find((f) => !f.fullOnly && v5FieldName(f) === name);
  if (!field) throw bad(`Invalid field: ${name}`);
  return field;
}

function buildSelection(spec: ObjectSpec, params: URLSearchParams, req: V5Request): Selection {
  const [sortField, descending] = orderOf(spec, params.get('orderBy'));
  const deleted = params.get('deleted') ?? 'false';
  if (!['all', 'true', 'false'].includes(deleted)) throw bad('deleted must be all, true or false');
  const s: Selection = {
    bounds: {},
    predicates: [],
    deleted: deleted as Selection['deleted'],
    sortField,
    descending,
    offset: 0,
    limit: 200,
    needTotal: false,
  };
  for (const [name, raw] of params) {
    if (!CONTROL.has(name)) addFilter(spec, s, name, raw);
  }
  return s;
}

function orderOf(spec: ObjectSpec, raw: string | null): [string, boolean] {
  if (!raw) return ['id', false];
  const [first] = raw.split(',').map((p) => p.trim().split(/\s+/));
  const field = v5Field(spec, first[0]);
  const dir = (first[1] ?? 'ASC').toUpperCase();
  if (dir !== 'ASC' && dir !== 'DESC') throw bad(`Invalid orderBy direction: ${first[1]}`);
  return [field.name, dir === 'DESC'];
}

function addFilter(spec: ObjectSpec, s: Selection, name: string, raw: string): void {
  const op = OPERATORS.find(([suffix]) => name.endsWith(suffix));
  const fieldName = op ? name.slice(0, -op[0].length) : name;
  const field = spec.fields.find((f) => v5FieldName(f) === fieldName);
  if (!field) throw bad(`Invalid parameter: ${name}`);
  if (!op) {
    s.predicates.push(equality(field, raw));
    return;
  }
  const value = field.type === 'ts' ? Date.parse(raw) : Number(raw);
  if (Number.isNaN(value)) throw bad(`Invalid value for ${name}: ${raw}`);
  const [lo, hi] =
    op[1] === 'gt'
      ? [value + 1, undefined]
      : op[1] === 'ge'
        ? [value, undefined]
        : op[1] === 'lt'
          ? [undefined, value - 1]
          : [undefined, value];
  if (field.name === 'created_at') {
    if (lo !== undefined) s.bounds.createdMin = Math.max(s.bounds.createdMin ?? -Infinity, lo);
    if (hi !== undefined) s.bounds.createdMax = Math.min(s.bounds.createdMax ?? Infinity, hi);
  } else if (field.name === 'id') {
    if (lo !== undefined) s.bounds.idMin = Math.max(s.bounds.idMin ?? -Infinity, lo);
    if (hi !== undefined) s.bounds.idMax = Math.min(s.bounds.idMax ?? Infinity, hi);
  } else if (field.name === 'updated_at') {
    if (lo !== undefined) s.updatedMin = lo;
    if (hi !== undefined) s.updatedMax = hi;
  } else {
    s.predicates.push((row) => {
      const v = row.data[field.name];
      return (
        typeof v === 'number' && (lo === undefined || v >= lo) && (hi === undefined || v <= hi)
      );
    });
  }
}

function equality(field: FieldSpec, raw: string): (row: StoredRow) => boolean {
  if (field.name === 'id') return (row) => row.id === Number(raw);
  if (field.type === 'bool') {
    const on = parseBool(raw);
    return (row) => row.data[field.name] === on;
  }
  if (field.type === 'int' || field.type === 'num')
    return (row) => row.data[field.name] === Number(raw);
  return (row) => row.data[field.name] === raw;
}

function v5Row(account: Account, fields: FieldSpec[], row: StoredRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = row.data[field.name];
    const name = v5FieldName(field) as string;
    if (field.name === 'is_archived') out[name] = row.deleted;
    else if (value === undefined || value === null) out[name] = null;
    else out[name] = field.type === 'ts' ? isoWithOffset(account.time, value as number) : value;
  }
  return out;
}
