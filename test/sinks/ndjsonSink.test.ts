import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

import type { PardotRecord } from '../../src/pardot/types';
import { ndjsonSink } from '../../src/sinks/ndjsonSink';
import { duck } from './fixtures/duck';
import { pagesOf, run } from './fixtures/pages';

const WINDOW = { startMs: Date.UTC(2024, 2, 10), endMs: Date.UTC(2024, 2, 11) };
const BIG_ID = 9_007_199_254_740_993n as unknown as number;
const ROWS: PardotRecord[] = [
  { id: 1, tag_id: 5, type: 'Prospect "A"', object_id: 9, created_at: at(1) },
  { id: 2, tag_id: 5, object_id: BIG_ID, created_at: at(2) },
];

function at(hour: number): Date {
  return new Date(Date.UTC(2024, 2, 10, hour));
}
const LINES =
  '{"id":1,"tag_id":5,"type":"Prospect \\"A\\"","object_id":9,' +
  '"created_at":"2024-03-10T01:00:00.000Z"}\n' +
  '{"id":2,"tag_id":5,"type":null,"object_id":"9007199254740993",' +
  '"created_at":"2024-03-10T02:00:00.000Z"}\n';

describe('ndjsonSink', () => {
  it('writes one line per record with every column', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'pp-ndjson-'));

    const [commit] = await run(pagesOf('tagObject', WINDOW, ROWS, 10), ndjsonSink({ out }));

    expect(commit.files.map((f) => path.relative(out, path.dirname(f)))).toEqual([
      'tag_object/date=2024-03-10',
    ]);
    expect(readFileSync(commit.files[0], 'utf8')).toBe(LINES);
    const glob = `${out}/tag_object/**/*.ndjson`;
    const back = await duck(`select count(*)::int as n from read_json('${glob}')`);
    expect(back).toEqual([{ n: 2 }]);
  });

  it('gzips to .ndjson.gz when asked', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'pp-ndjson-'));
    const sink = ndjsonSink({ out, gzip: true });

    const [commit] = await run(pagesOf('tagObject', WINDOW, ROWS, 1), sink);

    expect(commit.files[0].endsWith('.ndjson.gz')).toBe(true);
    expect(gunzipSync(readFileSync(commit.files[0])).toString('utf8')).toBe(LINES);
    expect(readdirSync(path.dirname(commit.files[0])).length).toBe(1);
  });
});
