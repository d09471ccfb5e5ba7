import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';

import type { PardotRecord } from '../pardot/types';
import { parquetValue, type ParquetValue } from './columnValue';
import { parquetSchema } from './parquetSchema';
import type { PartFormat, PartWriter } from './PartWriter';
import type { TableColumn } from './tableColumns';

export interface ParquetFormatOptions {
  /** Rows per row group. Default 50,000. */
  rowGroupRows?: number;
  /** Estimated uncompressed bytes that close a row group early. Default 64 MiB. */
  rowGroupBytes?: number;
  /** Compression codec. Default `SNAPPY`. */
  codec?: 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED';
  /**
   * Rows buffered across all parts open at once. An export window spans many partition dates,
   * each with its own part: past this total the fullest part writes its row group early, so
   * memory is bounded by this budget, not by one row group per open part. Default 50,000.
   */
  maxBufferedRows?: number;
}

/**
 * Parquet parts written with hyparquet-writer, one typed schema per table (parquetSchema).
 * Rows are kept as columns only until a row group fills (by rows or estimated bytes); the
 * group is then encoded and written to the file. Open parts share one budget of buffered
 * rows (`maxBufferedRows`), so memory stays bounded whatever the file sizes and however many
 * partitions a window spans.
 */
export function parquetFormat(options: ParquetFormatOptions = {}): PartFormat {
  const budget = new RowBudget(options.maxBufferedRows ?? 50_000);
  return {
    extension: 'parquet',
    open: async (tempPath, columns) => {
      const handle = await fs.open(tempPath, 'w');
      return new ParquetPartWriter(handle, tempPath, columns, options, budget);
    },
  };
}

/** Buffered rows of the open parts of one sink, and who writes a row group when over. */
class RowBudget {
  private readonly writers = new Set<ParquetPartWriter>();

  constructor(private readonly maxRows: number) {}

  join(writer: ParquetPartWriter): void {
    this.writers.add(writer);
  }

  leave(writer: ParquetPartWriter): void {
    this.writers.delete(writer);
  }

  /** Writes the fullest parts' row groups until the total is within the budget. */
  async relieve(): Promise<void> {
    for (;;) {
      let total = 0;
      let fullest: ParquetPartWriter | null = null;
      for (const w of this.writers) {
        total += w.buffered;
        if (!fullest || w.buffered > fullest.buffered) fullest = w;
      }
      if (total <= this.maxRows || !fullest || fullest.buffered === 0) return;
      await fullest.flushGroup();
    }
  }
}

class ParquetPartWriter implements PartWriter {
  rows = 0;
  /** Rows added and not yet written as a row group. */
  buffered = 0;
  private written = 0;
  private bufferedBytes = 0;
  private data: ParquetValue[][];
  private readonly out: FileByteWriter;
  private readonly writer: ParquetWriter;
  private readonly rowGroupRows: number;
  private readonly rowGroupBytes: number;

  constructor(
    private readonly handle: FileHandle,
    private readonly tempPath: string,
    private readonly columns: readonly TableColumn[],
    options: ParquetFormatOptions,
    private readonly budget: RowBudget,
  ) {
    budget.join(this);
    this.rowGroupRows = options.rowGroupRows ?? 50_000;
    this.rowGroupBytes = options.rowGroupBytes ?? 64 * 1024 * 1024;
    this.data = columns.map(() => []);
    this.out = new FileByteWriter(handle);
    this.writer = new ParquetWriter({
      writer: this.out,
      schema: parquetSchema(columns),
      codec: options.codec ?? 'SNAPPY',
      compressors: options.codec === 'GZIP' ? { GZIP: gzipCompress } : undefined,
      createdBy: 'pardot-pipes',
    });
  }

  get bytes(): number {
    return this.written + this.bufferedBytes;
  }

  async write(rows: readonly PardotRecord[]): Promise<void> {
    for (const row of rows) {
      this.add(row);
      if (this.buffered >= this.rowGroupRows || this.bufferedBytes >= this.rowGroupBytes) {
        await this.flushGroup();
      }
    }
    await this.budget.relieve();
  }

  private add(row: PardotRecord): void {
    let bytes = 0;
    for (let i = 0; i < this.columns.length; i += 1) {
      const column = this.columns[i];
      const value = parquetValue(column.type, row[column.key], column.name);
      this.data[i].push(value);
      bytes += typeof value === 'string' ? value.length : 8;
    }
    this.buffered += 1;
    this.rows += 1;
    this.bufferedBytes += bytes;
  }

  async flushGroup(): Promise<void> {
    if (this.buffered === 0) return;
    const columnData = this.columns.map((c, i) => ({ name: c.name, data: this.data[i] }));
    const rowGroupSize = this.buffered;
    this.data = this.columns.map(() => []);
    this.buffered = 0;
    this.bufferedBytes = 0;

    await this.writer.write({ columnData, rowGroupSize });
    this.written = this.out.offset;
  }

  async finish(): Promise<void> {
    this.budget.leave(this);
    await this.flushGroup();
    await this.writer.finish();
    await this.handle.sync();
    await this.handle.close();
  }

  async abort(): Promise<void> {
    this.budget.leave(this);
    await this.handle.close().catch(() => undefined);
    await fs.rm(this.tempPath, { force: true }).catch(() => undefined);
  }
}

/**
 * hyparquet-writer's byte buffer, emptied into the file after each row group and at the end.
 * The writer awaits `flush`, so the buffer is never reused before its bytes are written.
 */
class FileByteWriter extends ByteWriter {
  constructor(private readonly handle: FileHandle) {
    super(1024 * 1024);
  }

  async flush(): Promise<void> {
    let from = 0;
    while (from < this.index) {
      const { bytesWritten } = await this.handle.write(
        new Uint8Array(this.buffer, from, this.index - from),
      );
      from += bytesWritten;
    }
    this.index = 0;
  }

  override finish(): Promise<void> {
    return this.flush();
  }
}

function gzipCompress(input: Uint8Array): Uint8Array {
  return gzipSync(input);
}
