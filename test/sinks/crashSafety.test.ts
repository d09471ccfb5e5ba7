import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { duck } from './fixtures/duck';

const TOTAL = 8_000;
const WRITER = path.join(__dirname, 'fixtures', 'crashWriter.ts');

function runWriter(out: string, crashAt?: string) {
  return spawnSync(
    process.execPath,
    ['-r', 'ts-node/register', WRITER, out, String(TOTAL), '250'],
    {
      cwd: process.cwd(),
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', CRASH_AT: crashAt ?? '' },
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

describe('parquetSink with FileStateStore', () => {
  it('ends with every row exactly once after SIGKILLs at several points', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'pp-crash-'));
    const points = [
      'page:3',
      'before-record:1',
      'page:9',
      'after-record:2',
      'before-record:2',
      'page:6',
    ];

    for (const point of points) {
      const killed = runWriter(out, point);
      expect({ point, signal: killed.signal, stderr: killed.stderr }).toEqual({
        point,
        signal: 'SIGKILL',
        stderr: '',
      });
    }
    const finished = runWriter(out);

    expect({ status: finished.status, stderr: finished.stderr }).toEqual({ status: 0, stderr: '' });
    const stats = await duck(
      `select count(*)::int as n, count(distinct id)::int as d, ` +
        `min(id)::int as lo, max(id)::int as hi ` +
        `from read_parquet('${out}/visitor_activity/**/*.parquet')`,
    );
    expect(stats).toEqual([{ n: TOTAL, d: TOTAL, lo: 1, hi: TOTAL }]);
    expect(allFiles(out).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
  });
});
