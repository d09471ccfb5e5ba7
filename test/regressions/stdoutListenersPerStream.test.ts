import { PassThrough } from 'node:stream';

import { lastValueFrom, merge, of, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';

import { stdoutSink } from '../../src/sinks/stdoutSink';
import type { Page } from '../../src/sources/types';

describe('stdoutSink shared by every stream of a run', () => {
  it('watches the output with one error listener however many streams write to it', async () => {
    const output = new PassThrough();
    output.resume();
    // The daily job runs 19 streams, each with its own sink on process.stdout.
    const streams = Array.from({ length: 19 }, (_, i) => {
      const page: Page = {
        stream: `s${i}`,
        object: 'prospect',
        window: { startMs: 0, endMs: 1000 },
        rows: [],
        mark: null,
        last: true,
      };
      return of(page).pipe(stdoutSink({ output }));
    });
    const counts: number[] = [];
    await lastValueFrom(
      merge(...streams).pipe(tap(() => counts.push(output.listenerCount('error')))),
      { defaultValue: null },
    );

    expect(Math.max(...counts)).toBe(1);
    expect(output.listenerCount('error')).toBe(0);
  });
});
