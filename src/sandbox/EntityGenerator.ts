import { objectSpec, type FieldSpec } from '../pardot/catalogue';
import { CUSTOM_FIELD_OPTIONS, PROSPECT_CUSTOM_FIELDS } from './CustomFields';
import { Random } from './Random';
import { AWKWARD_TEXT, FIRST_NAMES, LAST_NAMES, WORDS } from './sampleText';
import type { StoredRow, StoredValue } from './StoredRow';

/** Objects held whole in memory, in the order they are generated (references point back). */
export const ENTITY_ORDER: readonly string[] = [
  'user',
  'campaign',
  'lifecycleStage',
  'customField',
  'prospectAccount',
  'list',
  'tag',
  'prospect',
  'visitor',
  'visit',
  'listMembership',
  'opportunity',
  'emailClick',
  'form',
  'customRedirect',
  'dynamicContent',
  'lifecycleHistory',
  'tagObject',
];

/** Default row counts per object; the API user is the first user. */
export const DEFAULT_COUNTS: Readonly<Record<string, number>> = {
  user: 8,
  campaign: 20,
  lifecycleStage: 6,
  customField: 3,
  prospectAccount: 300,
  list: 40,
  tag: 25,
  prospect: 2000,
  visitor: 3000,
  visit: 3000,
  listMembership: 5000,
  opportunity: 200,
  emailClick: 5000,
  form: 30,
  customRedirect: 20,
  dynamicContent: 10,
  lifecycleHistory: 1000,
  tagObject: 500,
};

export interface EntityContext {
  seed: number;
  /** Instants bounding generated creation times, epoch ms. */
  historyStartMs: number;
  nowMs: number;
  timezone: string;
  counts: Record<string, number>;
}

const STAGES = ['Visitor', 'Prospect', 'MQL', 'SQL', 'Opportunity', 'Customer'];
const TAG_TYPES = ['Prospect', 'Email', 'Form', 'List', 'Campaign', 'Landing Page'];

/**
 * Generates every in-memory object deterministically from the seed. Creation times spread over
 * the history; ids increase with creation time; about 40% of rows were updated on a later
 * day; created_at <= updated_at <= now always.
 */
export function generateEntities(ctx: EntityContext): Map<string, StoredRow[]> {
  const out = new Map<string, StoredRow[]>();
  const ids = (object: string) => (out.get(object) ?? []).map((r) => r.id);
  for (const [index, object] of ENTITY_ORDER.entries()) {
    out.set(object, generateObject(object, index, ctx, ids));
  }
  return out;
}

function generateObject(
  object: string,
  index: number,
  ctx: EntityContext,
  ids: (object: string) => number[],
): StoredRow[] {
  const spec = objectSpec(object);
  const rng = new Random(ctx.seed, 7, index);
  const count = ctx.counts[object] ?? DEFAULT_COUNTS[object] ?? 0;
  const span = Math.max(1, ctx.nowMs - 60_000 - ctx.historyStartMs);
  const created = Array.from(
    { length: count },
    () => ctx.historyStartMs + Math.floor((rng.next() * span) / 1000) * 1000,
  ).sort((a, b) => a - b);

  let id = 1000 * (index + 1);
  return created.map((createdMs, i) => {
    id += rng.int(1, 3);
    const updatedMs = rng.chance(0.4) ? between(rng, createdMs, ctx.nowMs - 1000) : createdMs;
    const data: Record<string, StoredValue> = { id };
    const row: StoredRow = { id, createdMs, updatedMs, data, visibleFromMs: 0, deleted: false };
    for (const field of spec.fields) {
      if (field.name === 'id') continue;
      const value = fieldValue(object, field, { rng, row, i, ctx, ids });
      if (value !== undefined) data[field.name] = value;
    }
    if (object === 'prospect') addCustomFields(rng, data);
    return row;
  });
}

interface ValueContext {
  rng: Random;
  row: StoredRow;
  i: number;
  ctx: EntityContext;
  ids: (object: string) => number[];
}

const REFERENCES: Record<string, string> = {
  campaign_id: 'campaign',
  prospect_id: 'prospect',
  visitor_id: 'visitor',
  list_id: 'list',
  tag_id: 'tag',
  prospect_account_id: 'prospectAccount',
  previous_stage_id: 'lifecycleStage',
  next_stage_id: 'lifecycleStage',
  object_id: 'prospect',
};

const EMAIL_CLICK_OPTIONAL = new Set([
  'list_email_id',
  'drip_program_action_id',
  'email_template_id',
  'tracker_redirect_id',
]);

/** One field's value; undefined = the API omits the field. */
function fieldValue(object: string, field: FieldSpec, v: ValueContext): StoredValue | undefined {
  const { rng, row } = v;
  if (field.name === 'created_at') return row.createdMs;
  if (field.name === 'updated_at') return row.updatedMs;
  const special = specialValue(object, field.name, v);
  if (special !== undefined) return special;
  if (object === 'emailClick' && EMAIL_CLICK_OPTIONAL.has(field.name)) {
    return rng.chance(0.5) ? rng.int(100, 9999) : undefined;
  }
  const target = REFERENCES[field.name];
  if (target) {
    const pool = v.ids(target);
    if (pool.length === 0 || (field.name === 'prospect_id' && rng.chance(0.2))) return null;
    return rng.pick(pool);
  }
  switch (field.type) {
    case 'int':
      return rng.int(0, 500);
    case 'num':
      return Math.round(rng.next() * 1_000_000) / 100;
    case 'bool':
      return rng.chance(0.2);
    case 'ts':
      return rng.chance(0.3) ? null : between(rng, row.createdMs, row.updatedMs);
    default:
      return textValue(rng, field.name, v.i);
  }
}

function specialValue(object: string, name: string, v: ValueContext): StoredValue | undefined {
  const { rng, i, ctx } = v;
  const first = FIRST_NAMES[i % FIRST_NAMES.length];
  const last = LAST_NAMES[(i * 7) % LAST_NAMES.length];
  const person = `${first}.${last}`;
  if (name === 'email') return `${person.toLowerCase().replace(/[^a-z.]/g, 'x')}${i}@example.com`;
  if (name === 'first_name') return FIRST_NAMES[i % FIRST_NAMES.length];
  if (name === 'last_name') return LAST_NAMES[(i * 7) % LAST_NAMES.length];
  if (name === 'grade') return rng.pick(['A+', 'A', 'A-', 'B+', 'B', 'C', 'D', 'F']);
  if (name === 'score' || name === 'cost') return rng.int(0, 300);
  if (name === 'probability') return rng.int(0, 100);
  if (name === 'status' && object === 'opportunity') return rng.pick(['won', 'lost', 'open']);
  if (name === 'timezone') return ctx.timezone;
  if (name === 'role') return i === 0 ? 'Administrator' : rng.pick(['Marketing', 'Sales']);
  if (object === 'lifecycleStage' && name === 'name') return STAGES[i % STAGES.length];
  if (object === 'lifecycleStage' && name === 'position') return i;
  if (object === 'customField' && name === 'name') return PROSPECT_CUSTOM_FIELDS[i]?.name;
  if (object === 'customField' && name === 'field_id') return PROSPECT_CUSTOM_FIELDS[i]?.name;
  if (object === 'customField' && name === 'type') {
    return PROSPECT_CUSTOM_FIELDS[i]?.type === 'list' ? 'Multi-Select' : 'Text';
  }
  if (object === 'tagObject' && name === 'type') return rng.pick(TAG_TYPES);
  if (name === 'page_view_count' || name === 'visitor_page_view_count') return rng.int(0, 3);
  if (name === 'duration_in_seconds' || name === 'seconds_elapsed') return rng.int(0, 7200);
  if (name === 'ip_address') return `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  if (name === 'url' || name === 'website' || name === 'destination') {
    return `https://example.com/p/${i}?a=1&b=${rng.int(1, 9)}`;
  }
  return undefined;
}

function textValue(rng: Random, name: string, i: number): StoredValue {
  if (rng.chance(0.15)) return null;
  if (rng.chance(0.1)) return rng.pick(AWKWARD_TEXT);
  return `${rng.pick(WORDS)} ${name.replace(/_/g, ' ')} ${i}`;
}

function addCustomFields(rng: Random, data: Record<string, StoredValue>): void {
  for (const def of PROSPECT_CUSTOM_FIELDS) {
    const options = CUSTOM_FIELD_OPTIONS[def.name];
    if (def.type === 'list') {
      data[def.name] = options.filter(() => rng.chance(0.35));
    } else {
      data[def.name] = rng.chance(0.2) ? null : rng.pick(options);
    }
  }
}

function between(rng: Random, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return fromMs;
  return fromMs + Math.floor((rng.next() * (toMs - fromMs)) / 1000) * 1000;
}
