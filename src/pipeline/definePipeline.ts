import type { Observable } from 'rxjs';

import type { LocalTime } from '../pardot/LocalTime';
import type { QueryParams } from '../pardot/types';
import type { TimeWindow } from '../sources/types';
import type { StateStore } from '../state/types';
import type { CliArgs } from './cliArgs';

/** What a pipeline's `streams` function is given to plan its streams. */
export interface PipelineContext {
  args: CliArgs;
  /** The account's zone. */
  time: LocalTime;
  /** The run's start, epoch milliseconds. */
  nowMs: number;
  /** The account-local date of yesterday, `YYYY-MM-DD`. */
  yesterday: string;
  /**
   * The lake's run state, for pipelines that remember what they planned (the days a daily
   * run has not finished, the end a backfill resolved). Empty and in memory on a dry run.
   */
  state: StateStore;
}

/** One stream: an object, where its rows come from, and the windows to read. */
export interface StreamDefinition {
  /** Stream id in the run state and the logs. Default: the object name. */
  name?: string;
  /** Catalogue object name, e.g. `visitorActivity`. */
  object: string;
  /** `query` pages the query API; `export` runs Export API jobs. */
  source: 'query' | 'export';
  /** Windows on the object's cursor field, in the order to read them. */
  windows: Observable<TimeWindow>;
  /**
   * Windows read at once. Default 2 for queries (the governor keeps the whole run within
   * Pardot's five requests in flight) and 1 for exports (Pardot runs exports one at a time).
   */
  concurrency?: number;
  /** Extra query filters sent with every request. Default none. */
  params?: QueryParams;
  /**
   * For child objects (visit): the parent object whose ids, read in the same window, select
   * the rows, and the filter that takes them (`visitor_ids`).
   */
  parent?: { object: string; param: string; params?: QueryParams };
}

export interface PipelineDefinition {
  /** Short name, used in help and logs (`daily`). */
  name: string;
  /** One line on what the pipeline does, for `--help`. */
  description: string;
  /** Checks arguments the pipeline needs beyond the shared ones; throws UsageError. */
  validate?: (args: CliArgs) => void;
  /** The streams to run, in the order they are started. */
  streams: (context: PipelineContext) => StreamDefinition[] | Promise<StreamDefinition[]>;
}

/**
 * Declares a pipeline. The definition is plain data plus a function that plans streams from
 * the command line; `runPipeline` owns everything else (client, sandbox, sinks, state,
 * progress, exit codes), so a pipeline file reads top to bottom and can be imported.
 *
 * @example
 * export const prospects = definePipeline({
 *   name: 'prospects',
 *   description: 'Prospects changed yesterday, as Parquet',
 *   streams: ({ args, time, yesterday }) => [
 *     { object: 'prospect', source: 'query', windows: dayWindow(args.date ?? yesterday, time) },
 *   ],
 * });
 * if (require.main === module) runMain(prospects);
 */
export function definePipeline(definition: PipelineDefinition): PipelineDefinition {
  return definition;
}
