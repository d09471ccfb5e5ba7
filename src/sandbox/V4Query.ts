import type { ObjectSpec } from '../pardot/catalogue';
import type { Account } from './Account';
import { objectFilter, parseBool } from './objectFilters';
import { PardotFault, paramFault, type ParamProblem } from './PardotFault';
import { parseDateInput } from './parseDateInput';
import { renderV4Row, toJsonNode, type Output } from './renderV4Row';
import type { SandboxSettings } from './SandboxSettings';
import { selectRows, type Selection } from './selectRows';
import type { Format, Rendered } from './V4Envelope';
import { v4Ok } from './V4Envelope';
import type { Node } from './xml';

const COMMON = ['format', 'output', 'limit', 'offset', 'sort_by', 'sort_order'];
const OUTPUTS = ['full', 'simple', 'mobile', 'bulk'];

export interface V4QueryRequest {
  spec: ObjectSpec;
  params: URLSearchParams;
  format: Format;
  account: Account;
  settings: SandboxSettings;
  nowMs: number;
}

/** Serves `/api/{object}/version/{3|4}/do/query`. Throws PardotFault for a bad request. */
export function v4Query(req: V4QueryRequest): Rendered {
  const { spec, params } = req;
  checkKnownParams(req);
  const output = (params.get('output') ?? 'full') as Output;
  const selection = buildSelection(req, output);
  const fields = spec.fieldsParam && params.get('fields') ? params.get('fields')!.split(',') : null;

  const { rows, total } = selectRows(req.account.table(spec.name), selection, req.nowMs);

  const rendered: Node[] = rows.map((row) =>
    renderV4Row(req.account, spec, row, output, fields, req.nowMs),
  );
  if (req.format === 'json' && spec.name === 'prospect')
    rendered.forEach((r, i) => (rendered[i] = toJsonNode(r)));
  return v4Ok(req.format, 'result', resultNode(req, output, rendered, total));
}

function resultNode(req: V4QueryRequest, output: Output, rows: Node[], total: number): Node {
  const result: { [key: string]: Node } = {};
  if (output !== 'bulk') result.total_results = total;
  if (rows.length === 1) result[req.spec.rowKey] = rows[0];
  if (rows.length > 1) result[req.spec.rowKey] = rows;
  if (output === 'bulk' && rows.length === 0) {
    return req.settings.bulkEmptyResult === 'null' ? null : {};
  }
  return result;
}

function allowedParams(spec: ObjectSpec): Set<string> {
  const names = [...COMMON, ...Object.keys(spec.filters)];
  if (spec.created) names.push('created_after', 'created_before');
  if (spec.updated) names.push('updated_after', 'updated_before');
  if (spec.id) names.push('id_greater_than');
  if (spec.id && !spec.idGreaterOnly) names.push('id_less_than');
  if (spec.fieldsParam) names.push('fields');
  return new Set(names);
}

function checkKnownParams(req: V4QueryRequest): void {
  if (!req.settings.rejectUnknownParams) return;
  const allowed = allowedParams(req.spec);
  for (const name of req.params.keys()) {
    if (!allowed.has(name)) throw new PardotFault(5, `Invalid parameter: ${name}`);
  }
}

function buildSelection(req: V4QueryRequest, output: string): Selection {
  const { spec, params } = req;
  const limit = intParam(params, 'limit', 200);
  if (limit === null || limit < 0) throw paramFault([{ param: 'limit', message: 'Invalid limit' }]);
  if (limit > 200) throw new PardotFault(23, 'Invalid limit: the maximum is 200');
  const offset = intParam(params, 'offset', 0);
  if (offset === null || offset < 0) throw new PardotFault(21, 'Invalid offset');
  if (!OUTPUTS.includes(output)) {
    throw paramFault([{ param: 'output', message: `Invalid output: '${output}'` }]);
  }
  const { sortField, descending } = sortOf(spec, params);
  const selection: Selection = {
    bounds: {},
    predicates: [],
    deleted: 'false',
    sortField,
    descending,
    offset,
    limit,
    needTotal: output !== 'bulk',
  };
  applyTimeFilters(req, selection);
  applyObjectFilters(req, selection);
  return selection;
}

function intParam(params: URLSearchParams, name: string, fallback: number): number | null {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  return /^\d+$/.test(raw.trim()) ? Number(raw) : null;
}

function sortOf(spec: ObjectSpec, params: URLSearchParams) {
  const sortBy = params.get('sort_by');
  const order = params.get('sort_order');
  const sorts = spec.sorts ?? {};
  if (sortBy !== null && !(sortBy in sorts))
    throw new PardotFault(19, `Invalid sort_by: ${sortBy}`);
  if (order !== null && order !== 'ascending' && order !== 'descending') {
    throw new PardotFault(20, `Invalid sort_order: ${order}`);
  }
  // Without sort_by the object's first listed sort applies (created_at for most objects).
  const fallback = Object.keys(sorts)[0] ?? 'id';
  const sortField = sortBy ?? fallback;
  const defaultOrder = sorts[sortField] ?? 'ascending';
  return { sortField, descending: (order ?? defaultOrder) === 'descending' };
}

function applyTimeFilters(req: V4QueryRequest, s: Selection): void {
  const { params, account, nowMs } = req;
  const inclusive = req.settings.inclusiveFilters;
  const read = (name: string): number | undefined => {
    const raw = params.get(name);
    if (raw === null) return undefined;
    const ms = parseDateInput(raw, account.days, nowMs);
    if (ms === null) throw new PardotFault(7, `Invalid timestamp for ${name}: ${raw}`);
    return ms;
  };
  const ca = read('created_after');
  const cb = read('created_before');
  const ua = read('updated_after');
  const ub = read('updated_before');
  if (
    (ca !== undefined && cb !== undefined && ca > cb) ||
    (ua !== undefined && ub !== undefined && ua > ub)
  ) {
    throw new PardotFault(8, 'Invalid time range');
  }
  // Timestamps are whole seconds stored in ms, so "> x" is ">= x + 1" and "< x" is "<= x - 1".
  const lo = (ms: number | undefined) => (ms === undefined ? undefined : inclusive ? ms : ms + 1);
  const hi = (ms: number | undefined) => (ms === undefined ? undefined : inclusive ? ms : ms - 1);
  s.bounds.createdMin = lo(ca);
  s.bounds.createdMax = hi(cb);
  s.updatedMin = lo(ua);
  s.updatedMax = hi(ub);

  const idAbove = params.get('id_greater_than');
  const idBelow = params.get('id_less_than');
  const problems: ParamProblem[] = [];
  for (const [name, raw] of [
    ['id_greater_than', idAbove],
    ['id_less_than', idBelow],
  ] as const) {
    if (raw !== null && !/^\d+$/.test(raw.trim()))
      problems.push({ param: name, message: `Invalid ${name}` });
  }
  if (problems.length > 0) throw paramFault(problems);
  if (idAbove !== null) s.bounds.idMin = Number(idAbove) + 1;
  if (idBelow !== null) s.bounds.idMax = Number(idBelow) - 1;
}

function applyObjectFilters(req: V4QueryRequest, s: Selection): void {
  const { spec, params } = req;
  const problems: ParamProblem[] = [];
  if (spec.requiresOneOf && !spec.requiresOneOf.some((p) => params.get(p))) {
    const names = spec.requiresOneOf.join(', ');
    problems.push({ param: spec.requiresOneOf[0], message: `One of ${names} is required` });
  }
  for (const [name, raw] of params) {
    if (!(name in spec.filters)) continue;
    if (name === 'deleted') {
      const on = raw === 'all' ? 'all' : parseBool(raw);
      if (on === null) throw new PardotFault(27, 'deleted must be true, false or all');
      s.deleted = on === 'all' ? 'all' : on ? 'true' : 'false';
      continue;
    }
    const result = objectFilter(spec, name, raw, req.account, req.nowMs);
    if (result === null) continue;
    if (typeof result === 'function') s.predicates.push(result);
    else problems.push(result);
  }
  if (spec.name === 'visitor' && params.get('only_identified') === null) {
    // Visitors default to identified ones only (only_identified=true).
    s.predicates.push((row) => row.data.prospect_id != null);
  }
  if (problems.length > 0) throw paramFault(problems);
}
