import { defer, mergeMap, type Observable, type OperatorFunction, tap } from 'rxjs';

import { checkpoint } from '../operators/checkpoint';
import { progress } from '../operators/progress';
import type { PardotApi } from '../pardot/types';
import type { Commit } from '../sinks/types';
import { exportSource } from '../sources/exportSource';
import { querySource } from '../sources/querySource';
import type { Page, TimeWindow } from '../sources/types';
import type { StateStore } from '../state/types';
import type { StreamDefinition } from './definePipeline';
import type { RunStats } from './RunStats';

export interface StreamDeps {
  api: PardotApi;
  state: StateStore;
  stats: RunStats;
  /** A fresh sink operator for the stream. */
  sink: () => OperatorFunction<Page, Commit>;
}

/**
 * One stream, wired top to bottom: windows, source (query pages or an export job), progress,
 * sink, checkpoint. Windows already recorded as done are skipped by the sources; several
 * windows are read at once for queries, and their pages meet in the stream's one sink, which
 * keeps a writer per window.
 */
export function streamCommits(definition: StreamDefinition, deps: StreamDeps): Observable<Commit> {
  const stream = definition.name ?? definition.object;
  const concurrency = definition.concurrency ?? (definition.source === 'export' ? 1 : 2);
  deps.stats.add(stream, definition.object);

  return defer(() => {
    deps.stats.start(stream);
    return definition.windows.pipe(
      mergeMap((window) => pagesOf(definition, stream, window, deps), concurrency),
      progress((event) => deps.stats.onProgress(event)),
      deps.sink(),
      checkpoint(deps.state),
      tap({
        next: (commit) => deps.stats.onCommit(commit),
        complete: () => deps.stats.end(stream, false),
        error: () => deps.stats.end(stream, true),
      }),
    );
  });
}

function pagesOf(
  definition: StreamDefinition,
  stream: string,
  window: TimeWindow,
  deps: StreamDeps,
): Observable<Page> {
  const common = { object: definition.object, window, stream, store: deps.state };
  if (definition.source === 'export') return exportSource(deps.api, common);
  return querySource(deps.api, { ...common, params: definition.params });
}
