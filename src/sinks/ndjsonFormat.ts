import { once } from 'node:events';
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { createGzip, type Gzip } from 'node:zlib';

import { SinkError } from '../pardot/errors';
import type { PardotRecord } from '../pardot/types';
import { ndjsonLine } from './ndjsonLine';
import { fsyncPath } from '../fsyncPath';
import type { PartFormat, PartWriter } from './PartWriter';
import type { TableColumn } from './tableColumns';

export interface NdjsonFormatOptions {
  /** Gzip the files (`.ndjson.gz`). Default false. */
  gzip?: boolean;
}

/** NDJSON parts: one `ndjsonLine` per record, optionally gzipped. */
export function ndjsonFormat(options: NdjsonFormatOptions = {}): PartFormat {
  const gzip = options.gzip ?? false;
  return {
    extension: gzip ? 'ndjson.gz' : 'ndjson',
    open: async (tempPath, columns) => new NdjsonPartWriter(tempPath, columns, gzip),
  };
}

class NdjsonPartWriter implements PartWriter {
  rows = 0;
  bytes = 0;
  private readonly file: WriteStream;
  private readonly gzip: Gzip | null;
  private failure: Error | null = null;

  constructor(
    private readonly tempPath: string,
    private readonly columns: readonly TableColumn[],
    gzip: boolean,
  ) {
    this.file = createWriteStream(tempPath, { flags: 'w' });
    this.gzip = gzip ? createGzip() : null;
    this.gzip?.pipe(this.file);
    // A listener from the start: a stream error with none would crash the process.
    const fail = (error: Error) => (this.failure ??= error);
    this.file.on('error', fail);
    this.gzip?.on('error', fail);
  }

  private check(): void {
    if (this.failure) {
      throw new SinkError(`cannot write ${this.tempPath}: ${this.failure.message}`, {
        operation: 'sink.write',
        cause: this.failure,
      });
    }
  }

  async write(rows: readonly PardotRecord[]): Promise<void> {
    this.check();
    let text = '';
    for (const row of rows) text += ndjsonLine(row, this.columns);
    this.rows += rows.length;
    // Uncompressed bytes: the roll limit then means the same for both variants.
    this.bytes += Buffer.byteLength(text);

    const target = this.gzip ?? this.file;
    if (!target.write(text)) await once(target, 'drain');
    this.check();
  }

  async finish(): Promise<void> {
    this.check();
    const closed = once(this.file, 'close');
    const fd = once(this.file, 'finish');
    (this.gzip ?? this.file).end();
    await fd;
    await fsyncPath(this.tempPath);
    await closed;
    this.check();
  }

  async abort(): Promise<void> {
    this.gzip?.destroy();
    this.file.destroy();
    await fs.rm(this.tempPath, { force: true }).catch(() => undefined);
  }
}
