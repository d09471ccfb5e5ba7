import { concatMap, from, map, type MonoTypeOperatorFunction } from 'rxjs';

import type { Commit } from '../sinks/types';
import type { StateStore } from '../state/types';

/**
 * Saves each sink commit in the run state, in order, before passing it on: a stream's mark
 * moves only after the sink has durably written the rows before it, so a run killed at any
 * point resumes without a lost or doubled row. When a commit completes its window, the
 * window's saved export (if any) is cleared here, after the rows are safe: this operator is
 * the one place that clears exports, the export source never does.
 *
 * A store write is not cancelled by unsubscribing (a half-written state file would be worse);
 * commits not yet started are dropped.
 *
 * ```
 * commits:     -a-b----|
 * recordCommit:  [a][b]          (one at a time, in order)
 * checkpoint:  ---a--b-|
 * ```
 *
 * @example
 * pages.pipe(parquetSink(options), checkpoint(store)).subscribe();
 */
export function checkpoint(store: StateStore): MonoTypeOperatorFunction<Commit> {
  return (source) =>
    source.pipe(concatMap((commit) => from(save(store, commit)).pipe(map(() => commit))));
}

async function save(store: StateStore, commit: Commit): Promise<void> {
  await store.recordCommit(commit);
  if (commit.windowDone && store.exportFor(commit.stream, commit.window)) {
    await store.clearExport(commit.stream, commit.window);
  }
}
