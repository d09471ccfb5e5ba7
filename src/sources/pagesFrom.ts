import { Observable } from 'rxjs';

import type { Chunk } from './pagerContext';
import type { PageFlow } from './PageFlow';
import type { Mark, Page } from './types';

/** What a stream's pages are labelled with. */
export type PageLabel = Pick<Page, 'stream' | 'object' | 'window'>;

/**
 * Turns an async sequence of chunks into Pages. Empty chunks only carry their mark forward;
 * one page is held back so that the final one can say `last: true` (a window with no rows
 * still yields one empty last page, so it gets committed). Unsubscribing aborts the signal
 * handed to `run`, cancelling the request in flight. With a `flow`, each page waits for the
 * sink to have written enough of the earlier ones (see PageFlow).
 */
export function pagesFrom(
  label: PageLabel,
  initialMark: Mark | null,
  run: (signal: AbortSignal) => AsyncIterable<Chunk>,
  flow?: PageFlow,
): Observable<Page> {
  return new Observable<Page>((subscriber) => {
    const controller = new AbortController();

    const emit = async (page: Page) => {
      await flow?.ready(controller.signal);
      if (!subscriber.closed) subscriber.next(page);
    };

    const pump = async () => {
      let held = null as Page | null;
      let mark = initialMark;
      for await (const chunk of run(controller.signal)) {
        if (subscriber.closed) return;
        mark = chunk.mark;
        if (chunk.rows.length === 0) {
          // Rows fetched but all skipped: the held page may claim them too.
          if (held) held = { ...held, mark };
          continue;
        }
        if (held) await emit(held);
        held = { ...label, rows: chunk.rows, mark, last: false };
      }
      const rows = held?.rows ?? [];
      await emit({ ...label, rows, mark, last: true });
      subscriber.complete();
    };

    pump().catch((error: unknown) => {
      if (!subscriber.closed) subscriber.error(error);
    });
    return () => controller.abort();
  });
}
