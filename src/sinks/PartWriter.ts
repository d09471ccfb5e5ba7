import type { PardotRecord } from '../pardot/types';
import type { TableColumn } from './tableColumns';

/**
 * One part file being written at its temp path. The file sink routes rows to it, asks for
 * its size to decide when to roll, and finishes it before renaming it into place.
 */
export interface PartWriter {
  /** Appends rows; resolves when they are encoded (buffered or written). */
  write(rows: readonly PardotRecord[]): Promise<void>;
  /** Rows written so far. */
  readonly rows: number;
  /** Bytes written so far plus an estimate of what is buffered. */
  readonly bytes: number;
  /** Writes what is buffered and the footer, fsyncs and closes the file. */
  finish(): Promise<void>;
  /** Closes the file without finishing it and removes it. Never throws. */
  abort(): Promise<void>;
}

/** A file format: its extension and how to open a part of it. */
export interface PartFormat {
  /** File extension without the dot, e.g. `parquet`, `ndjson.gz`. */
  extension: string;
  open(tempPath: string, columns: readonly TableColumn[]): Promise<PartWriter>;
}
