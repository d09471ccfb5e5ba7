import { Observable } from 'rxjs';

import { objectSpec } from '../../../src/pardot/catalogue';
import type { PardotApi } from '../../../src/pardot/types';
import { pagesFrom } from '../../../src/sources/pagesFrom';
import type { Chunk } from '../../../src/sources/pagerContext';
import type { Page, TimeWindow } from '../../../src/sources/types';

export interface NaiveHighWaterMarkOptions {
  /** Catalogue object with a created_at filter and sort. */
  object: string;
  window: TimeWindow;
  /** Rows per request. Default 200. */
  limit?: number;
}

/**
 * The bulk-data guide's recipe, kept to show why the query source does not use it: sort by
 * created_at, send the last row's created_at as the next `created_after`, stop on a short page.
 * With a strict server every row sharing the last second of a full page is lost; with an
 * inclusive one those rows come back twice (and 200 rows in one second loop forever, so this
 * pager stops after `limit` requests). Do not use it to pull data.
 *
 * ```
 * 450 rows at 10:00:00, strict server:
 * --[200 rows]--[0 rows, last]|     (250 rows lost)
 * ```
 *
 * @example
 * naiveHighWaterMark(api, { object: 'visitorActivity', window }).subscribe();
 */
export function naiveHighWaterMark(
  api: PardotApi,
  options: NaiveHighWaterMarkOptions,
): Observable<Page> {
  const spec = objectSpec(options.object);
  const label = { stream: spec.name, object: spec.name, window: options.window };
  return pagesFrom(label, null, (signal) => guideRecipe(api, options, signal));
}

async function* guideRecipe(
  api: PardotApi,
  options: NaiveHighWaterMarkOptions,
  signal: AbortSignal,
): AsyncGenerator<Chunk> {
  const limit = options.limit ?? 200;
  let highWater = api.time.format(options.window.startMs);

  for (let request = 0; request < limit; request++) {
    const page = await api.query(
      options.object,
      {
        created_after: highWater,
        created_before: api.time.format(options.window.endMs),
        sort_by: 'created_at',
        sort_order: 'ascending',
        limit,
      },
      { signal },
    );
    const last = page.rows[page.rows.length - 1];
    yield { rows: page.rows, mark: null };
    if (page.rows.length < limit || !(last?.created_at instanceof Date)) return;
    highWater = api.time.format(last.created_at.getTime());
  }
}
