import { type OperatorFunction, pipe, tap } from 'rxjs';

import { ndjsonSink } from '../sinks/ndjsonSink';
import { parquetSink } from '../sinks/parquetSink';
import { stdoutSink } from '../sinks/stdoutSink';
import type { SinkEvent } from '../sinks/fileSink';
import type { ExtraColumn } from '../sinks/tableColumns';
import type { Commit } from '../sinks/types';
import type { PageFlow } from '../sources/PageFlow';
import type { Page } from '../sources/types';
import type { StateStore } from '../state/types';
import type { CliArgs } from './cliArgs';
import { extractedAt } from './extractedAt';

export interface SinkContext {
  state: StateStore;
  extraColumns: Record<string, ExtraColumn[]>;
  /** The run's start: the partition date of entity snapshots. */
  nowMs: number;
}

/**
 * The sink `--format` asks for, wired to the run state so part names follow saved marks, and
 * to the stream's PageFlow so its source waits while pages are still being written.
 */
export function sinkFor(
  args: CliArgs,
  context: SinkContext,
  flow: PageFlow,
): OperatorFunction<Page, Commit> {
  if (args.format === 'stdout') {
    // stdout commits every page as soon as it is written.
    return pipe(
      // A reader that closed the pipe ends the whole run (exit 0), not just this stream.
      stdoutSink({ extraColumns: context.extraColumns, onClosed: 'error' }),
      tap(() => flow.written()),
    );
  }

  const options = {
    out: args.out,
    extractedAtMs: (stream: string, window: Page['window']) =>
      extractedAt(context.state, stream, window) ?? context.nowMs,
    extraColumns: context.extraColumns,
    resumeFrom: (stream: string, window: Page['window']) =>
      context.state.progress(stream, window)?.mark ?? null,
    onEvent: (event: SinkEvent) => {
      if (event.type === 'page-written') flow.written();
    },
  };
  return args.format === 'ndjson' ? ndjsonSink(options) : parquetSink(options);
}
