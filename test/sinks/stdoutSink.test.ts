import { spawnSync } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';

import { OutputClosedError } from '../../src/pardot/errors';
import { stdoutSink } from '../../src/sinks/stdoutSink';
import { pagesOf, run } from './fixtures/pages';

const WINDOW = { startMs: Date.UTC(2024, 2, 10), endMs: Date.UTC(2024, 2, 11) };
const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `tag ${i + 1}` }));

/** A pipe whose reader goes away after `accepted` writes. */
function closingPipe(accepted: number): { stream: Writable; chunks: string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (chunks.length >= accepted) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
        return;
      }
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { stream, chunks };
}

describe('stdoutSink', () => {
  it('writes NDJSON lines and commits each page once written', async () => {
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));

    const commits = await run(pagesOf('tag', WINDOW, rows(3), 2), stdoutSink({ output }));

    expect(text).toBe(
      '{"id":1,"name":"tag 1","created_at":null,"updated_at":null}\n' +
        '{"id":2,"name":"tag 2","created_at":null,"updated_at":null}\n' +
        '{"id":3,"name":"tag 3","created_at":null,"updated_at":null}\n',
    );
    expect(commits.map((c) => [c.rows, c.mark?.id, c.windowDone, c.files])).toEqual([
      [2, 2, false, []],
      [1, 3, true, []],
    ]);
  });

  it('completes quietly on a closed pipe, committing only what was written', async () => {
    const { stream, chunks } = closingPipe(2);

    const commits = await run(pagesOf('tag', WINDOW, rows(10), 2), stdoutSink({ output: stream }));

    expect(chunks.length).toBe(2);
    expect(commits.map((c) => c.mark?.id)).toEqual([2, 4]);
  });

  it('raises OutputClosedError on a closed pipe when asked to', async () => {
    const { stream } = closingPipe(1);

    const result = run(
      pagesOf('tag', WINDOW, rows(6), 2),
      stdoutSink({ output: stream, onClosed: 'error' }),
    );

    await expect(result).rejects.toBeInstanceOf(OutputClosedError);
    await expect(result).rejects.toMatchObject({ code: 'PARDOT_OUTPUT_CLOSED' });
  });

  it('ends a real process quietly when its stdout reader quits (| head -n 2)', () => {
    const script = [
      "require('ts-node').register({ transpileOnly: true });",
      "const { range, map } = require('rxjs');",
      "const { stdoutSink } = require('./src/sinks/stdoutSink');",
      'const w = { startMs: 0, endMs: 1 };',
      'const rows = Array.from({ length: 500 }, (_, i) => ({ id: i + 1, name: "x".repeat(200) }));',
      "range(0, 2000).pipe(map((i) => ({ stream: 'tag', object: 'tag', window: w, rows,",
      '  mark: { atMs: null, id: i }, last: false })), stdoutSink()).subscribe({',
      "  complete: () => process.stderr.write('completed\\n'),",
      "  error: (e) => process.stderr.write('error ' + e.code + '\\n') });",
    ].join('\n');

    const result = spawnSync('bash', ['-c', `node -e "$SCRIPT" | head -n 2 > /dev/null`], {
      cwd: process.cwd(),
      env: { ...process.env, SCRIPT: script },
      encoding: 'utf8',
      timeout: 20_000,
    });

    expect(result.stderr).toBe('completed\n');
    expect(result.status).toBe(0);
  });
});
