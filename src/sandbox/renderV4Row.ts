import type { ObjectSpec } from '../pardot/catalogue';
import type { Account } from './Account';
import { PROSPECT_CUSTOM_FIELDS } from './CustomFields';
import { Random } from './Random';
import type { StoredRow } from './StoredRow';
import type { Node } from './xml';

export type Output = 'full' | 'simple' | 'mobile' | 'bulk';

/**
 * One row as v3/v4 renders it: fields in catalogue order, timestamps as naive local time in
 * the account zone, null kept, absent fields omitted. Outside bulk output a visitor
 * activity carries its campaign as a nested `campaign` node instead of `campaign_id`, and a
 * visit carries `visitor_page_views.visitor_page_view` (one object, an array, or no key).
 * Multi-value custom fields are `{ value: [...] }` nodes, which XML writes as nested `<value>`
 * children; JSON flattens them to a plain array of strings (see toJsonNode).
 */
export function renderV4Row(
  account: Account,
  spec: ObjectSpec,
  row: StoredRow,
  output: Output,
  fields: string[] | null,
  nowMs: number,
): { [key: string]: Node } {
  const out: { [key: string]: Node } = {};
  const wanted = fields ? new Set(['id', ...fields]) : null;
  const time = account.time;
  for (const field of spec.fields) {
    if (field.fullOnly && output !== 'full') continue;
    if (wanted && !wanted.has(field.name)) continue;
    const value = row.data[field.name];
    if (value === undefined) continue;
    if (field.type === 'ts')
      out[field.name] = typeof value === 'number' ? time.format(value) : null;
    else out[field.name] = value as Node;
  }
  if (spec.name === 'prospect') addCustomFields(row, out, wanted);
  if (output === 'bulk') return out;
  if (spec.name === 'visitorActivity' && 'campaign_id' in out) nestCampaign(account, out, nowMs);
  if (spec.name === 'visit' && output === 'full') addPageViews(account, row, out);
  return out;
}

function addCustomFields(
  row: StoredRow,
  out: { [key: string]: Node },
  wanted: Set<string> | null,
): void {
  for (const def of PROSPECT_CUSTOM_FIELDS) {
    if (wanted && !wanted.has(def.name)) continue;
    const value = row.data[def.name];
    if (value === undefined) continue;
    out[def.name] = def.type === 'list' ? { value: (value as string[]) ?? [] } : (value as Node);
  }
}

function nestCampaign(account: Account, out: { [key: string]: Node }, nowMs: number): void {
  const id = out.campaign_id;
  delete out.campaign_id;
  const createdAt = out.created_at;
  const updatedAt = out.updated_at;
  delete out.created_at;
  delete out.updated_at;
  if (typeof id === 'number') {
    const campaign = account.table('campaign').get(id);
    const visible = campaign && campaign.createdMs <= nowMs;
    out.campaign = visible
      ? { id, name: campaign.data.name as Node, cost: campaign.data.cost as Node }
      : { id };
  }
  out.created_at = createdAt;
  out.updated_at = updatedAt;
}

/** Page views derived from the visit (seeded by its id), matching visitor_page_view_count. */
function addPageViews(account: Account, row: StoredRow, out: { [key: string]: Node }): void {
  const count = Number(row.data.visitor_page_view_count ?? 0);
  if (count === 0) return;
  const rng = new Random(row.id, 33);
  const views: Node[] = [];
  for (let i = 0; i < count; i++) {
    views.push({
      id: row.id * 10 + i,
      url: `https://example.com/page/${rng.int(1, 50)}`,
      title: `Page ${i + 1}`,
      created_at: account.time.format(row.createdMs + i * 60_000),
    });
  }
  out.visitor_page_views = { visitor_page_view: views.length === 1 ? views[0] : views };
}

/** The JSON form of a rendered row: multi-value `{ value: [...] }` nodes become arrays. */
export function toJsonNode(node: Node): Node {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'value' && Array.isArray(node.value)) return node.value;
  const out: { [key: string]: Node } = {};
  for (const key of keys) out[key] = toJsonNode(node[key]);
  return out;
}
