import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { describe, expect, it } from 'vitest';

import { parquetFormat } from '../../src/sinks/parquetFormat';
import { tableColumns } from '../../src/sinks/tableColumns';
import { duck } from './fixtures/duck';

describe('parquetFormat', () => {
  it('keeps the rows buffered across open parts within maxBufferedRows', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'budget-'));
    const format = parquetFormat({ rowGroupRows: 1000, maxBufferedRows: 100 });
    const columns = tableColumns('tag');
    const files = [0, 1, 2].map((i) => path.join(dir, `part-${i}.parquet`));
    const writers = await Promise.all(files.map((f) => format.open(f, columns)));

    const buffered: number[] = [];
    for (let round = 0; round < 8; round += 1) {
      for (const [i, writer] of writers.entries()) {
        const rows = Array.from({ length: 10 }, (_, n) => ({
          id: i * 1000 + round * 10 + n,
          name: `tag ${i}`,
        }));
        await writer.write(rows);
        buffered.push(writers.reduce((sum, w) => sum + bufferedOf(w), 0));
      }
    }
    for (const writer of writers) await writer.finish();

    expect(Math.max(...buffered)).toBe(100);
    const counts = await duck(
      `select count(*)::INT as n, count(distinct id)::INT as ids ` +
        `from read_parquet('${dir}/*.parquet')`,
    );
    expect(counts).toEqual([{ n: 240, ids: 240 }]);
    const groups = await duck(
      `select count(distinct row_group_id)::INT as g from parquet_metadata('${files[0]}')`,
    );
    // Part 0 is the fullest when the budget is first passed, and at the end.
    expect(groups[0].g).toBe(2);
  });
});

function bufferedOf(writer: unknown): number {
  return (writer as { buffered: number }).buffered;
}
