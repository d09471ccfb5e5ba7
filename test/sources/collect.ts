import { firstValueFrom, type Observable, timeout, toArray } from 'rxjs';

import type { Page } from '../../src/sources/types';

/** All pages of a finite source, failing after `ms` instead of waiting forever. */
export function collect(pages: Observable<Page>, ms = 10_000): Promise<Page[]> {
  return firstValueFrom(pages.pipe(toArray(), timeout(ms)));
}

/** Emitted ids in order of emission. */
export function idsOf(pages: Page[]): number[] {
  return pages.flatMap((p) => p.rows.map((r) => r.id as number));
}

export function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}
