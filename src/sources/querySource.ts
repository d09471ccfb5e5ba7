import { EMPTY, Observable } from 'rxjs';

import { objectSpec } from '../pardot/catalogue';
import type { PardotApi, QueryParams } from '../pardot/types';
import type { StateStore } from '../state/types';
import { idPager } from './idPager';
import { type Chunk, type PagerContext } from './pagerContext';
import type { PageFlow } from './PageFlow';
import { pagesFrom } from './pagesFrom';
import { planQuery } from './queryPlan';
import { RowTracker } from './RowTracker';
import { timePager } from './timePager';
import type { Mark, Page, TimeWindow } from './types';
import { v5Pager } from './v5Pager';

export interface QuerySourceOptions {
  /** Catalogue object name, e.g. `visitorActivity`. */
  object: string;
  /**
   * Window [start, end) on the object's cursor field. For objects read whole by id
   * (campaign, lifecycleStage) it only labels the pages.
   */
  window: TimeWindow;
  /** Stream id for pages and state. Default: the object name. */
  stream?: string;
  /** Rows per request. Default 200 on v3/v4 (their maximum), 1000 on v5. */
  limit?: number;
  /** Extra filters sent with every request (e.g. `{ list_id: 7 }`). Default none. */
  params?: QueryParams;
  /** Mark to resume after. Default: the store's mark for this stream and window, else none. */
  resumeFrom?: Mark | null;
  /** Run state: resume from its mark; a window it records as done emits nothing. */
  store?: StateStore;
  /**
   * After the window is read, read its newest `lookBackMs` again for rows that arrived late
   * (a slow replica); rows already emitted are skipped. Milliseconds. Default 0 (off).
   */
  lookBackMs?: number;
  /** Back-pressure from the sink (see PageFlow). Default none: pages are pushed as read. */
  flow?: PageFlow;
}

/**
 * Reads one object in one window through the query API and emits Pages of new rows, each with
 * the mark that holds once it and every page before it are written. Never uses `offset`.
 *
 * - v3/v4: `output=bulk`, `format=json`, `limit=200`, sorted ascending on the catalogue's
 *   cursor (created_at for events, updated_at for entities, id for the rest); stops on a short
 *   page. Rows sharing a second are never lost or doubled, however many there are and
 *   whether the server reads `*_after` as `>` or `>=` (see `timePager`).
 * - v5 (when `api.version` is 5): `limit=1000`, `orderBy` cursor then id, next-page links
 *   followed to the end, chains cut at the cap restarted from the mark.
 *
 * ```
 * querySource(api, { object: 'visitorActivity', window })
 * --[200 rows, mark]--[200 rows, mark]--[37 rows, mark, last]|
 * ```
 *
 * @example
 * querySource(api, { object: 'prospect', window: { startMs, endMs }, store })
 *   .pipe(ndjsonSink(options), checkpoint(store))
 *   .subscribe();
 */
export function querySource(api: PardotApi, options: QuerySourceOptions): Observable<Page> {
  const spec = objectSpec(options.object);
  const stream = options.stream ?? spec.name;
  const { window } = options;
  const saved = options.store?.progress(stream, window);
  if (saved?.done && options.resumeFrom === undefined) return EMPTY;

  const resume = options.resumeFrom !== undefined ? options.resumeFrom : (saved?.mark ?? null);
  const label = { stream, object: spec.name, window };
  return pagesFrom(
    label,
    resume,
    (signal) => readWindow(api, options, resume, signal),
    options.flow,
  );
}

async function* readWindow(
  api: PardotApi,
  options: QuerySourceOptions,
  resume: Mark | null,
  signal: AbortSignal,
): AsyncGenerator<Chunk> {
  const spec = objectSpec(options.object);
  const plan = planQuery(spec, options.window, api.time);
  const v5 = api.version === 5 && spec.v5Collection !== undefined;
  const lookBackMs = options.lookBackMs ?? 0;
  const timeMarks = plan.timeField !== null && (v5 || plan.strategy === 'time');
  const keepMs = lookBackMs + 2000;
  const tracker = new RowTracker(
    options.window,
    plan.timeField,
    resume,
    keepMs,
    spec.name,
    timeMarks,
  );
  const ctx: PagerContext = {
    api,
    spec,
    plan,
    window: options.window,
    tracker,
    limit: options.limit ?? (v5 ? 1000 : 200),
    params: options.params ?? {},
    signal,
  };

  const fromMs = resume?.atMs ?? options.window.startMs;
  const fromId = resume && resume.atMs === null ? resume.id : 0;
  yield* pager(ctx, v5, fromMs, fromId);

  if (lookBackMs <= 0 || !plan.timeField || tracker.maxAtMs === -Infinity) return;
  const floorMs = Math.max(options.window.startMs, tracker.maxAtMs - lookBackMs);
  yield* pager(ctx, v5, floorMs, 0, floorMs);
}

function pager(ctx: PagerContext, v5: boolean, fromMs: number, fromId: number, floorMs?: number) {
  if (v5) return v5Pager(ctx, fromMs);
  if (ctx.plan.strategy === 'time') return timePager(ctx, fromMs);
  return idPager(ctx, fromId, floorMs);
}
