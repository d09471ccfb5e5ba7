import type { ObjectSpec } from '../pardot/catalogue';
import type { PardotApi, PardotRecord, QueryParams } from '../pardot/types';
import type { QueryPlan } from './queryPlan';
import type { RowTracker } from './RowTracker';
import type { Mark, TimeWindow } from './types';

/** What every pager of the query source works with. */
export interface PagerContext {
  api: PardotApi;
  spec: ObjectSpec;
  plan: QueryPlan;
  window: TimeWindow;
  tracker: RowTracker;
  /** Rows per request. */
  limit: number;
  /** Extra filters sent with every request. */
  params: QueryParams;
  signal: AbortSignal;
}

/** New rows from one request and the mark that holds after them. */
export interface Chunk {
  rows: PardotRecord[];
  mark: Mark | null;
}

/** The server's timestamp resolution: v3/v4 timestamps are whole seconds. */
export const SECOND_MS = 1000;

/** One v3/v4 request with the window filter on the plan's time field, bounds as given. */
export async function fetchRows(
  ctx: PagerContext,
  afterMs: number | null,
  beforeMs: number | null,
  extra: QueryParams,
): Promise<PardotRecord[]> {
  const prefix = ctx.plan.timeField?.replace('_at', '');
  const params: QueryParams = { ...ctx.params, ...extra, limit: ctx.limit };
  if (prefix && afterMs !== null) params[`${prefix}_after`] = ctx.api.time.format(afterMs);
  if (prefix && beforeMs !== null) params[`${prefix}_before`] = ctx.api.time.format(beforeMs);

  const page = await ctx.api.query(ctx.spec.name, params, { signal: ctx.signal });
  return page.rows;
}

export function chunk(ctx: PagerContext, rows: PardotRecord[]): Chunk {
  return { rows, mark: ctx.tracker.mark };
}

export function maxId(rows: readonly PardotRecord[], floor: number): number {
  let max = floor;
  for (const row of rows) if ((row.id as number) > max) max = row.id as number;
  return max;
}
