import { createReadStream } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import * as path from 'node:path';

import { parquetMetadata } from 'hyparquet';

/** Rows in a lake's Parquet and NDJSON files, by object directory (`visitor_activity`). */
export async function lakeRows(out: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const entries = await readdir(out, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const object = path.relative(out, file).split(path.sep)[0];
    let rows = -1;
    if (entry.name.endsWith('.parquet')) rows = await parquetRows(file);
    else if (entry.name.endsWith('.ndjson')) rows = await lineCount(file);
    if (rows >= 0) counts[object] = (counts[object] ?? 0) + rows;
  }
  return counts;
}

async function parquetRows(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    // The footer length sits in the 8 bytes before the trailing magic.
    const tail = Buffer.alloc(8);
    await handle.read(tail, 0, 8, size - 8);
    const footer = tail.readUInt32LE(0) + 8;
    const buffer = Buffer.alloc(footer);
    await handle.read(buffer, 0, footer, size - footer);
    const bytes = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + footer);
    return Number(parquetMetadata(bytes).num_rows);
  } finally {
    await handle.close();
  }
}

async function lineCount(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file)) {
    const buffer = chunk as Buffer;
    for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) lines += 1;
  }
  return lines;
}
