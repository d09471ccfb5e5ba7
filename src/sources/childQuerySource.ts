import { bufferCount, concat, concatMap, defer, map, type Observable, of } from 'rxjs';

import { objectSpec } from '../pardot/catalogue';
import { ConfigError } from '../pardot/errors';
import type { PardotApi, PardotRecord, QueryParams } from '../pardot/types';
import { fromAbortable } from '../operators/fromAbortable';
import type { Page, TimeWindow } from './types';

export interface ChildQuerySourceOptions {
  /** Child object that needs parent ids, e.g. `visit`. */
  object: string;
  /** Parent ids to read children of (e.g. visitor ids from a visitor stream). */
  parentIds$: Observable<number>;
  /** Parent filter, one of the object's `requiresOneOf`, e.g. `visitor_ids`. */
  param: string;
  /** Parent ids per request. Default 200 (the API's limit per id list). */
  batchSize?: number;
  /** Rows per request. Default 200. */
  limit?: number;
  /** Stream id. Default: the object name. */
  stream?: string;
  /** Window that labels the pages. Default { startMs: 0, endMs: 0 }. */
  window?: TimeWindow;
  /**
   * Keep only children created inside `window`, so a child read through parents changed in
   * several windows is written by the one window holding its created_at. Default false.
   */
  createdInWindow?: boolean;
  /** Extra filters sent with every request. Default none. */
  params?: QueryParams;
}

/**
 * Reads a child object per batch of parent ids, sent as a POST form body so long id lists
 * fit. Visits offer no id or time filter to page on, so a batch whose reply is full is split
 * in two and each half read again, down to a single parent. A single parent with more children
 * than one page holds is the one case read with `offset`: the API offers nothing else there.
 * Pages carry no mark (children of different parents are not ordered); the final page, empty,
 * has `last: true`.
 *
 * ```
 * parentIds$:  -1-2-3-...-200-201-|
 * pages:       ------------[visits of 1..200]--[visits of 201]-[last]|
 * ```
 *
 * @example
 * childQuerySource(api, { object: 'visit', parentIds$: visitorIds$, param: 'visitor_ids' });
 */
export function childQuerySource(
  api: PardotApi,
  options: ChildQuerySourceOptions,
): Observable<Page> {
  const spec = objectSpec(options.object);
  if (spec.requiresOneOf && !spec.requiresOneOf.includes(options.param)) {
    throw new ConfigError(
      `${spec.name} is read by ${spec.requiresOneOf.join(', ')}, not ${options.param}`,
      {
        object: spec.name,
      },
    );
  }
  const label = {
    stream: options.stream ?? spec.name,
    object: spec.name,
    window: options.window ?? { startMs: 0, endMs: 0 },
  };
  const limit = options.limit ?? 200;

  const read = (ids: number[]): Observable<PardotRecord[]> =>
    fetch(api, spec.name, options, ids, limit).pipe(
      concatMap((rows) => {
        if (rows.length < limit) return of(rows);
        if (ids.length === 1) return byOffset(api, spec.name, options, ids[0], limit, rows);
        const half = Math.ceil(ids.length / 2);
        return concat(read(ids.slice(0, half)), read(ids.slice(half)));
      }),
    );

  const pages = options.parentIds$.pipe(
    bufferCount(options.batchSize ?? 200),
    concatMap((ids) => read(ids)),
    map((rows) =>
      options.createdInWindow ? rows.filter((r) => createdIn(r, label.window)) : rows,
    ),
    map((rows): Page => ({ ...label, rows, mark: null, last: false })),
  );
  return concat(
    pages,
    defer(() => of<Page>({ ...label, rows: [], mark: null, last: true })),
  );
}

function fetch(
  api: PardotApi,
  object: string,
  options: ChildQuerySourceOptions,
  ids: number[],
  limit: number,
  offset?: number,
) {
  const params: QueryParams = { ...options.params, [options.param]: ids.join(','), limit, offset };
  return fromAbortable((signal) =>
    api.queryPost(object, params, { signal }).then((page) => page.rows),
  );
}

function byOffset(
  api: PardotApi,
  object: string,
  options: ChildQuerySourceOptions,
  id: number,
  limit: number,
  first: PardotRecord[],
): Observable<PardotRecord[]> {
  const next = (offset: number): Observable<PardotRecord[]> =>
    fetch(api, object, options, [id], limit, offset).pipe(
      concatMap((rows) =>
        rows.length < limit ? of(rows) : concat(of(rows), next(offset + limit)),
      ),
    );
  return concat(of(first), next(limit));
}

function createdIn(row: PardotRecord, window: TimeWindow): boolean {
  const created = row.created_at;
  if (!(created instanceof Date)) return false;
  const ms = created.getTime();
  return ms >= window.startMs && ms < window.endMs;
}
