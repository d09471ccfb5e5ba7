import type { AccountDays } from './AccountDays';
import { Random } from './Random';
import { AWKWARD_TEXT, WORDS } from './sampleText';
import type { StoredRow, StoredValue } from './StoredRow';

export interface ActivityGeneratorOptions {
  seed: number;
  days: AccountDays;
  /** Average rows per weekday; weekends get half. */
  perDay: number;
  idBase: number;
  idStride: number;
  prospectIds: readonly number[];
  visitorIds: readonly number[];
  campaignIds: readonly number[];
}

/** Type code, its asset kind (`type_name`) and which asset ids such a row carries. */
const KINDS: ReadonlyArray<{ type: number; name: string; assets: string[]; weight: number }> = [
  {
    type: 6,
    name: 'Email',
    assets: ['email_id', 'list_email_id', 'email_template_id'],
    weight: 30,
  },
  {
    type: 11,
    name: 'Email',
    assets: ['email_id', 'list_email_id', 'email_template_id'],
    weight: 20,
  },
  { type: 1, name: 'Email Tracker', assets: ['email_id', 'list_email_id'], weight: 10 },
  { type: 2, name: 'Landing Page', assets: ['landing_page_id'], weight: 10 },
  { type: 20, name: 'Visit', assets: ['visit_id', 'visitor_page_view_id'], weight: 15 },
  { type: 4, name: 'Form', assets: ['form_id'], weight: 5 },
  { type: 3, name: 'Form', assets: ['form_id'], weight: 1 },
  { type: 17, name: 'FormHandler', assets: ['form_handler_id'], weight: 2 },
  { type: 21, name: 'Custom Redirect', assets: ['custom_redirect_id'], weight: 3 },
  { type: 7, name: 'Site Search', assets: ['site_search_query_id'], weight: 1 },
  { type: 12, name: 'Email', assets: ['email_id'], weight: 1 },
  { type: 13, name: 'Email', assets: ['email_id'], weight: 1 },
  { type: 27, name: 'File', assets: ['file_id'], weight: 1 },
];
const TOTAL_WEIGHT = KINDS.reduce((sum, k) => sum + k.weight, 0);

/** Largest burst: hundreds of rows sharing one second (an email send). */
const MAX_BURST = 480;

/**
 * The id stride per day: room for the busiest generated day in the lower half and for
 * inserted rows in the upper half.
 */
export function activityIdStride(perDay: number): number {
  const need = 2 * (Math.ceil(perDay * 1.3) + MAX_BURST + 100);
  return 10 ** Math.max(5, Math.ceil(Math.log10(need)));
}

/**
 * One account-local day of visitor activities, from (seed, day) alone. Shape: a daytime peak,
 * quieter weekends, on some days a burst where hundreds of rows share one second, and on DST
 * days rows on both sides of the transition (both passes of the repeated autumn hour). Ids
 * follow creation time.
 */
export function generateActivityDay(o: ActivityGeneratorOptions, day: number): StoredRow[] {
  const rng = new Random(o.seed, 101, day);
  const start = o.days.start(day);
  const end = o.days.start(day + 1);
  const weekend = [0, 6].includes(new Date(day * 86_400_000).getUTCDay());
  const count = Math.round(o.perDay * (weekend ? 0.5 : 1) * (0.8 + rng.next() * 0.4));

  const times: number[] = [];
  while (times.length < count) {
    const t = start + rng.next() * (end - start);
    const hour = (t - start) / 3_600_000;
    if (rng.next() < 0.25 + 0.75 * Math.sin((Math.PI * Math.min(hour, 24)) / 24) ** 2) {
      times.push(Math.floor(t / 1000) * 1000);
    }
  }
  if (o.perDay >= 50 && rng.chance(0.3)) {
    const second = start + Math.floor((rng.next() * (end - start)) / 1000) * 1000;
    for (let i = rng.int(150, MAX_BURST); i > 0; i--) times.push(second);
  }
  times.push(...dstTimes(start, end, o.days));
  times.sort((a, b) => a - b);

  const base = o.idBase + day * o.idStride;
  return times.map((t, i) => activityRow(rng, o, base + i + 1, t));
}

/** Instants straddling a DST change inside [start, end): both passes of the repeated hour. */
function dstTimes(start: number, end: number, days: AccountDays): number[] {
  const offset = (ms: number) => days.time.offsetAt(ms);
  if (offset(start) === offset(end - 1)) return [];
  let change = start;
  while (offset(change) === offset(start)) change += 3_600_000;
  const out: number[] = [];
  for (const delta of [-3_000_000, -1_800_000, -1000, 0, 1000, 1_800_000, 3_000_000]) {
    for (let k = 0; k < 3; k++) out.push(change + delta);
  }
  return out;
}

function activityRow(rng: Random, o: ActivityGeneratorOptions, id: number, t: number): StoredRow {
  const kind = pickKind(rng);
  const prospect = rng.chance(0.7) && o.prospectIds.length > 0 ? rng.pick(o.prospectIds) : null;
  const data: Record<string, StoredValue> = {
    id,
    prospect_id: prospect,
    visitor_id: o.visitorIds.length > 0 ? rng.pick(o.visitorIds) : rng.int(1, 99999),
    type: kind.type,
    type_name: kind.name,
    details: rng.chance(0.1) ? rng.pick(AWKWARD_TEXT) : `${rng.pick(WORDS)} ${kind.name}`,
  };
  for (const asset of kind.assets) data[asset] = rng.int(1000, 99999);
  data.campaign_id = o.campaignIds.length > 0 ? rng.pick(o.campaignIds) : null;
  data.created_at = t;
  data.updated_at = t;
  return { id, createdMs: t, updatedMs: t, data, visibleFromMs: 0, deleted: false };
}

function pickKind(rng: Random): (typeof KINDS)[number] {
  let roll = rng.next() * TOTAL_WEIGHT;
  for (const kind of KINDS) {
    roll -= kind.weight;
    if (roll < 0) return kind;
  }
  return KINDS[0];
}
