import type { Writable } from 'node:stream';
import { concatMap, defer, finalize, from, takeWhile, type OperatorFunction } from 'rxjs';

import { objectSpec } from '../pardot/catalogue';
import { OutputClosedError, SinkError } from '../pardot/errors';
import type { Page } from '../sources/types';
import { ndjsonLine } from './ndjsonLine';
import { tableColumns, type ExtraColumn, type TableColumn } from './tableColumns';
import type { Commit } from './types';

export interface StdoutSinkOptions {
  /** Where the lines go. Default: process.stdout. */
  output?: Writable;
  /** Declared extra columns per object (catalogue name). Default none. */
  extraColumns?: Readonly<Record<string, readonly ExtraColumn[]>>;
  /**
   * What a closed pipe (EPIPE: `| head`, a reader that quit) does: `complete` ends the sink
   * quietly, which unsubscribes the sources; `error` raises OutputClosedError for a runner
   * that wants to say so. Default `complete`.
   */
  onClosed?: 'complete' | 'error';
}

const CLOSED = Symbol('closed');

/**
 * Writes every record as one NDJSON line (ndjsonLine: same columns as the file sinks) and
 * nothing else, so `| jq` and `| duckdb` work. A Commit follows each page once its bytes are
 * handed to the operating system (the write callback), so marks never pass unwritten rows.
 * When the reader goes away, pages not fully written are not committed.
 */
export function stdoutSink(options: StdoutSinkOptions = {}): OperatorFunction<Page, Commit> {
  return (pages) =>
    defer(() => {
      const writer = new LineWriter(options);
      return pages.pipe(
        concatMap((page) => from(writer.write(page))),
        takeWhile((result): result is Commit => result !== CLOSED),
        finalize(() => writer.detach()),
      );
    });
}

class LineWriter {
  private readonly output: Writable;
  private readonly columns = new Map<string, readonly TableColumn[]>();
  private readonly watch: OutputWatch;
  private detached = false;

  constructor(private readonly options: StdoutSinkOptions) {
    this.output = options.output ?? process.stdout;
    this.watch = OutputWatch.join(this.output);
  }

  async write(page: Page): Promise<Commit | typeof CLOSED> {
    const columns = this.columnsOf(page.object);
    let text = '';
    for (const row of page.rows) text += ndjsonLine(row, columns);

    const error = this.watch.closed ? closedError() : await this.send(text);
    if (error && isClosedPipe(error)) return this.close();
    if (error) {
      throw new SinkError(`cannot write to stdout: ${error.message}`, {
        operation: 'sink.write',
        cause: error,
      });
    }
    const { stream, object, window, mark, last, rows } = page;
    return { stream, object, window, mark, windowDone: last, rows: rows.length, files: [] };
  }

  private send(text: string): Promise<NodeJS.ErrnoException | null> {
    if (text === '') return Promise.resolve(null);
    return new Promise((resolve) => {
      this.output.write(text, (error) => resolve(error ?? null));
    });
  }

  private close(): typeof CLOSED {
    this.watch.closed = true;
    if (this.options.onClosed === 'error') {
      throw new OutputClosedError('the output was closed by its reader; stopped writing', {
        operation: 'sink.write',
      });
    }
    return CLOSED;
  }

  private columnsOf(object: string): readonly TableColumn[] {
    const known = this.columns.get(object);
    if (known) return known;
    const name = objectSpec(object).name;
    const columns = tableColumns(name, this.options.extraColumns?.[name]);
    this.columns.set(object, columns);
    return columns;
  }

  detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.watch.leave();
  }
}

/**
 * One 'error' listener per output, shared by every sink writing to it: a run has a sink per
 * stream on the same stdout, and a listener each would pass Node's limit of ten and warn.
 */
class OutputWatch {
  private static readonly watches = new WeakMap<Writable, OutputWatch>();
  closed = false;
  private users = 0;
  // Without a listener, an EPIPE 'error' event would crash the process.
  private readonly onError = (error: NodeJS.ErrnoException) => {
    if (isClosedPipe(error)) this.closed = true;
  };

  private constructor(private readonly output: Writable) {}

  static join(output: Writable): OutputWatch {
    let watch = OutputWatch.watches.get(output);
    if (!watch) {
      watch = new OutputWatch(output);
      OutputWatch.watches.set(output, watch);
    }
    if (watch.users === 0) output.on('error', watch.onError);
    watch.users += 1;
    return watch;
  }

  leave(): void {
    this.users -= 1;
    // After a closed pipe the stream may still emit its 'error' late; the listener stays.
    if (this.users === 0 && !this.closed) this.output.off('error', this.onError);
  }
}

function closedError(): NodeJS.ErrnoException {
  return Object.assign(new Error('output closed'), { code: 'EPIPE' });
}

function isClosedPipe(error: NodeJS.ErrnoException): boolean {
  return error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED';
}
