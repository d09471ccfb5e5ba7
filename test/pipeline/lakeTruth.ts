import { existsSync } from 'node:fs';
import * as path from 'node:path';

import { objectSpec } from '../../src/pardot/catalogue';
import { LocalTime } from '../../src/pardot/LocalTime';
import type { PardotRecord, RecordValue } from '../../src/pardot/types';
import type { Sandbox } from '../../src/sandbox';
import { tableColumns } from '../../src/sinks/tableColumns';
import { planQuery } from '../../src/sources/queryPlan';
import type { TimeWindow } from '../../src/sources/types';
import { duck } from '../sinks/fixtures/duck';

/** Prospect custom fields of the sandbox account, as the runner declares them. */
const CUSTOM = [
  { name: 'Favorite_Color', type: 'str' as const },
  { name: 'Preferred_Language', type: 'str' as const },
  { name: 'Interests', type: 'list' as const },
];

/**
 * What the lake must hold for an object after a daily run over `window`: the sandbox's ground
 * truth for the rows the day's stream selects (created or updated in the window, by the
 * object's cursor; everything for objects re-read whole; visits of the day's visitors).
 */
export function expectedRows(sandbox: Sandbox, object: string, window: TimeWindow): PardotRecord[] {
  const range = { from: window.startMs, to: window.endMs };
  if (object === 'visit') {
    const visitors = new Set(
      sandbox.truth.list('visitor', { ...range, field: 'updated_at' }).map((v) => v.id),
    );
    return sandbox.truth.list('visit', range).filter((v) => visitors.has(v.visitor_id));
  }
  const plan = planQuery(objectSpec(object), window, new LocalTime(sandbox.timezone));
  if (plan.timeField === null) return sandbox.truth.list(object);
  return sandbox.truth.list(object, { ...range, field: plan.timeField });
}

/** The object's rows in the lake, normalised like `normalise` does, ordered by id. */
export async function lakeRows(out: string, object: string): Promise<Record<string, unknown>[]> {
  const dir = path.join(out, objectSpec(object).table);
  if (!existsSync(dir)) return [];
  return duck(
    `select * from read_parquet('${dir}/**/*.parquet', hive_partitioning = false) order by id`,
  );
}

/**
 * A truth record as DuckDB's JSON rows show it: every column present, BIGINT as a string,
 * timestamps as `YYYY-MM-DD HH:MM:SS+00`, absent fields null. An empty multi-value field is
 * null: the client cannot tell it from an absent one (XML renders both as nothing). Timestamps
 * are as a v3/v4 client can read them: a naive time in the repeated autumn hour names two
 * instants and is read as the earlier one (README, "Limits").
 */
export function normalise(
  object: string,
  record: PardotRecord,
  time: LocalTime,
): Record<string, unknown> {
  const columns = tableColumns(object, object === 'prospect' ? CUSTOM : []);
  const out: Record<string, unknown> = {};
  for (const column of columns) out[column.name] = cell(column.type, record[column.key], time);
  return out;
}

function cell(type: string, value: RecordValue | undefined, time: LocalTime): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.length === 0 ? null : value;
  if (value instanceof Date) {
    const read = new Date(time.toEpochMs(time.format(value.getTime())));
    return read.toISOString().slice(0, 19).replace('T', ' ') + '+00';
  }
  if (type === 'int') return String(value);
  return value;
}
