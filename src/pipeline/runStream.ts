import { defer, mergeMap, type Observable, type OperatorFunction, tap } from 'rxjs';

import { checkpoint } from '../operators/checkpoint';
import type { PollSchedule } from '../operators/pollSchedules';
import { progress } from '../operators/progress';
import type { PardotApi } from '../pardot/types';
import type { Commit } from '../sinks/types';
import { exportSource } from '../sources/exportSource';
import { querySource } from '../sources/querySource';
import { PageFlow } from '../sources/PageFlow';
import type { Page, TimeWindow } from '../sources/types';
import type { StateStore } from '../state/types';
import type { StreamDefinition } from './definePipeline';
import type { RunStats } from './RunStats';

export interface StreamDeps {
  api: PardotApi;
  state: StateStore;
  stats: RunStats;
  /** Poll schedule of an object's exports. */
  exportSchedule: (object: string) => PollSchedule;
  /** A fresh sink operator for the stream, releasing `flow` as pages are written. */
  sink: (flow: PageFlow) => OperatorFunction<Page, Commit>;
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
    const flow = new PageFlow(concurrency + 1);
    return definition.windows.pipe(
      mergeMap((window) => pagesOf(definition, stream, window, flow, deps), concurrency),
      progress((event) => deps.stats.onProgress(event)),
      deps.sink(flow),
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
  flow: PageFlow,
  deps: StreamDeps,
): Observable<Page> {
  const common = { object: definition.object, window, stream, store: deps.state, flow };
  if (definition.source === 'export') {
    return exportSource(deps.api, { ...common, schedule: deps.exportSchedule(definition.object) });
  }
  return querySource(deps.api, { ...common, params: definition.params });
}
