import { defer, map, type OperatorFunction } from 'rxjs';

import type { Page } from '../sources/types';

export interface DedupeByIdOptions {
  /**
   * Ids remembered; the oldest are forgotten first, so memory stays bounded. Default 100000.
   * Pick it larger than the number of rows that can repeat (a re-read look-back span).
   */
  maxIds?: number;
  /** Forget every id when the page's stream or window changes. Default true. */
  perWindow?: boolean;
}

/**
 * Drops rows whose `id` was already seen, keeping pages (and their marks and `last` flags)
 * even when every row of one is dropped, so checkpoints still advance. Rows without a numeric
 * id pass through.
 *
 * ```
 * pages:       -[1,2]-[2,3]-[3]-|
 * dedupeById:  -[1,2]-[3]---[]--|
 * ```
 *
 * @example
 * querySource(api, { object: 'prospect', window }).pipe(dedupeById({ maxIds: 50_000 }));
 */
export function dedupeById(options: DedupeByIdOptions = {}): OperatorFunction<Page, Page> {
  const maxIds = options.maxIds ?? 100_000;
  const perWindow = options.perWindow ?? true;

  return (source) =>
    defer(() => {
      const seen = new Set<number>();
      let scope = '';
      return source.pipe(
        map((page) => {
          const pageScope = `${page.stream}|${page.window.startMs}|${page.window.endMs}`;
          if (perWindow && pageScope !== scope) seen.clear();
          scope = pageScope;

          const rows = page.rows.filter((row) => {
            const id = row.id;
            if (typeof id !== 'number') return true;
            if (seen.has(id)) return false;
            remember(seen, id, maxIds);
            return true;
          });
          return rows.length === page.rows.length ? page : { ...page, rows };
        }),
      );
    });
}

/** Adds an id, forgetting the oldest when full (a Set iterates in insertion order). */
function remember(seen: Set<number>, id: number, maxIds: number): void {
  seen.add(id);
  if (seen.size <= maxIds) return;
  const oldest = seen.values().next().value;
  if (oldest !== undefined) seen.delete(oldest);
}
