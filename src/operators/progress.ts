import type { EventEmitter } from 'node:events';

import { defer, type MonoTypeOperatorFunction, tap } from 'rxjs';

import type { Page, TimeWindow } from '../sources/types';

/** What `progress` reports after each page. Counts are per subscription. */
export interface ProgressEvent {
  type: 'page' | 'done';
  stream: string;
  object: string;
  /** The window of the page just seen (the last one for `done`). */
  window: TimeWindow | null;
  /** Rows in this page (0 for `done`). */
  pageRows: number;
  /** Pages and rows seen so far, all windows together. */
  pages: number;
  rows: number;
  /** Windows whose last page has been seen. */
  windowsDone: number;
}

/** A callback, or an EventEmitter that receives `progress` events. */
export type ProgressReporter = ((event: ProgressEvent) => void) | EventEmitter;

/**
 * Reports pages, rows and the current window to a callback or an EventEmitter (event name
 * `progress`) without changing the stream: every page passes through as it came.
 *
 * ```
 * pages:     -a--b--|
 * progress:  -a--b--|    reporter: page(a), page(b), done
 * ```
 *
 * @example
 * const events = new EventEmitter();
 * events.on('progress', (e: ProgressEvent) => log.info('pulled', { rows: e.rows }));
 * querySource(api, { object: 'prospect', window }).pipe(progress(events)).subscribe();
 */
export function progress(reporter: ProgressReporter): MonoTypeOperatorFunction<Page> {
  const report =
    typeof reporter === 'function'
      ? reporter
      : (event: ProgressEvent) => void reporter.emit('progress', event);

  return (source) =>
    defer(() => {
      const totals = { pages: 0, rows: 0, windowsDone: 0 };
      let latest: Page | null = null;
      return source.pipe(
        tap({
          next: (page) => {
            latest = page;
            totals.pages += 1;
            totals.rows += page.rows.length;
            if (page.last) totals.windowsDone += 1;
            report({ type: 'page', ...identity(page), pageRows: page.rows.length, ...totals });
          },
          complete: () => {
            report({ type: 'done', ...identity(latest), pageRows: 0, ...totals });
          },
        }),
      );
    });
}

function identity(page: Page | null): Pick<ProgressEvent, 'stream' | 'object' | 'window'> {
  return { stream: page?.stream ?? '', object: page?.object ?? '', window: page?.window ?? null };
}
