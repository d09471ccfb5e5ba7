import type { OperatorFunction } from 'rxjs';

import { ndjsonSink } from '../sinks/ndjsonSink';
import { parquetSink } from '../sinks/parquetSink';
import { stdoutSink } from '../sinks/stdoutSink';
import type { ExtraColumn } from '../sinks/tableColumns';
import type { Commit } from '../sinks/types';
import type { Page } from '../sources/types';
import type { StateStore } from '../state/types';
import type { CliArgs } from './cliArgs';

export interface SinkContext {
  state: StateStore;
  extraColumns: Record<string, ExtraColumn[]>;
  /** The run's start: the partition date of entity snapshots. */
  nowMs: number;
}

/** The sink `--format` asks for, wired to the run state so part names follow saved marks. */
export function sinkFor(args: CliArgs, context: SinkContext): OperatorFunction<Page, Commit> {
  if (args.format === 'stdout') return stdoutSink({ extraColumns: context.extraColumns });

  const options = {
    out: args.out,
    extractedAtMs: context.nowMs,
    extraColumns: context.extraColumns,
    resumeFrom: (stream: string, window: Page['window']) =>
      context.state.progress(stream, window)?.mark ?? null,
  };
  return args.format === 'ndjson' ? ndjsonSink(options) : parquetSink(options);
}
