import {
  concat,
  defer,
  EMPTY,
  ignoreElements,
  mergeMap,
  type Observable,
  of,
  type OperatorFunction,
  tap,
} from 'rxjs';

import { checkpoint } from '../operators/checkpoint';
import type { PollSchedule } from '../operators/pollSchedules';
import { progress } from '../operators/progress';
import { objectSpec } from '../pardot/catalogue';
import type { PardotApi } from '../pardot/types';
import type { Commit } from '../sinks/types';
import { exportSource } from '../sources/exportSource';
import { childQuerySource } from '../sources/childQuerySource';
import { querySource } from '../sources/querySource';
import { PageFlow } from '../sources/PageFlow';
import type { Page, TimeWindow } from '../sources/types';
import type { StateStore } from '../state/types';
import type { StreamDefinition } from './definePipeline';
import { noteExtraction } from './extractedAt';
import type { RunStats } from './RunStats';

export interface StreamDeps {
  api: PardotApi;
  state: StateStore;
  stats: RunStats;
  /** The run's start, epoch ms: the extraction time of entity windows it starts. */
  nowMs: number;
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
    // One page in hand per window being read, and one more so a window never waits on
    // another's page to be written before it can hand over its own.
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
  if (deps.state.progress(stream, window)?.done) return EMPTY;
  const common = { object: definition.object, window, stream, store: deps.state, flow };
  const started =
    objectSpec(definition.object).kind === 'entity'
      ? defer(() => noteExtraction(deps.state, stream, window, deps.nowMs))
      : of(undefined);
  return concat(started.pipe(ignoreElements()), sourceOf(definition, common, deps));
}

function sourceOf(
  definition: StreamDefinition,
  common: Common & { store: StateStore; flow: PageFlow },
  deps: StreamDeps,
): Observable<Page> {
  if (definition.parent) return childPages(definition, definition.parent, common, deps);
  if (definition.source === 'export') {
    return exportSource(deps.api, { ...common, schedule: deps.exportSchedule(definition.object) });
  }
  return querySource(deps.api, { ...common, params: definition.params });
}

interface Common {
  object: string;
  window: TimeWindow;
  stream: string;
}

/**
 * A child object (visit) in a window: the ids of the parents (visitors) changed in the window,
 * then the children of those parents created in the window. A visit changes its visitor, so
 * the visits of a day are found through the visitors of that day; each visit is kept by the
 * one window holding its created_at, so it is written once.
 */
function childPages(
  definition: StreamDefinition,
  parent: NonNullable<StreamDefinition['parent']>,
  common: Common,
  deps: StreamDeps,
): Observable<Page> {
  const parentIds$ = querySource(deps.api, {
    object: parent.object,
    window: common.window,
    stream: `${common.stream}.parents`,
    params: parent.params,
  }).pipe(mergeMap((page) => page.rows.map((row) => Number(row.id))));

  return childQuerySource(deps.api, {
    object: definition.object,
    parentIds$,
    param: parent.param,
    window: common.window,
    createdInWindow: true,
    stream: common.stream,
    params: definition.params,
  });
}
