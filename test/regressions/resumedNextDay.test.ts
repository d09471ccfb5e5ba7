import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { backfill } from '../../pipelines/backfill';
import { daily } from '../../pipelines/daily';
import { LocalTime } from '../../src/pardot/LocalTime';
import { runPipeline, type PipelineDefinition } from '../../src/pipeline';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { duck } from '../sinks/fixtures/duck';
import { sandboxEnv } from '../pipeline/runDaily';

const DAY_MS = 86_400_000;

/**
 * A run stopped by its daily budget, then the same command on the next day: the backfill's
 * windows used to shift by a day (refused as overlapping), and the daily job moved on to the
 * new yesterday and left the stopped day unfinished.
 */
describe('a run stopped by its budget and run again the next day', () => {
  let sandbox: Sandbox;
  let time: LocalTime;
  const startMs = Date.now();

  beforeAll(async () => {
    // Date only: the runner, the client's budget day and the sandbox all read it.
    vi.useFakeTimers({ toFake: ['Date'], now: startMs });
    sandbox = await startSandbox({ seed: 9, visitorActivitiesPerDay: 50 });
    time = new LocalTime(sandbox.timezone);
  });

  afterAll(async () => {
    await sandbox.close();
    vi.useRealTimers();
  });

  const run = (definition: PipelineDefinition, argv: string[], env: Record<string, string>) =>
    runPipeline(definition, {
      argv,
      env: { ...sandboxEnv(sandbox), PARDOT_TIMEZONE: sandbox.timezone, ...env },
      stderr: logTo(process.env.DEBUG_RESUME ? process.stderr : new PassThrough()),
    });

  it('resumes a backfill with the same command and writes every email click once', async () => {
    vi.setSystemTime(startMs);
    const out = mkdtempSync(path.join(tmpdir(), 'backfill-next-day-'));
    const from = time.isoDate(startMs - 200 * DAY_MS);
    const argv = ['--from', from, '--out', out, '--objects', 'emailClick'];

    const first = await run(backfill, argv, { PARDOT_DAILY_BUDGET: '10' });
    vi.setSystemTime(startMs + DAY_MS);
    const second = await run(backfill, argv, {});

    expect([first, second]).toEqual([75, 0]);
    const end = time.dayStart(time.isoDate(startMs));
    const expected = sandbox.truth.count('emailClick', { from: time.dayStart(from), to: end });
    expect(await counts(out, 'email_click')).toEqual({ n: expected, ids: expected });
  });

  it('finishes the day a daily run was stopped on before the next one', async () => {
    vi.setSystemTime(startMs);
    const out = mkdtempSync(path.join(tmpdir(), 'daily-next-day-'));
    const argv = ['--out', out, '--objects', 'prospect,visitor,emailClick'];
    const stopped = time.isoDate(time.dayStart(time.isoDate(startMs)) - 1);

    const first = await run(daily, argv, { PARDOT_DAILY_BUDGET: '3' });
    vi.setSystemTime(startMs + DAY_MS);
    const second = await run(daily, argv, {});

    expect([first, second]).toEqual([75, 0]);
    const range = {
      from: time.dayStart(stopped),
      to: time.dayStart(time.isoDate(startMs)) + DAY_MS,
    };
    const expected = sandbox.truth.count('emailClick', range);
    expect(await counts(out, 'email_click')).toEqual({ n: expected, ids: expected });
  });
});

async function counts(out: string, table: string): Promise<{ n: number; ids: number }> {
  const rows = await duck(
    `select count(*)::INT as n, count(distinct id)::INT as ids from ` +
      `read_parquet('${out}/${table}/**/*.parquet', hive_partitioning = false)`,
  );
  return rows[0] as { n: number; ids: number };
}

function logTo(stream: NodeJS.WritableStream): NodeJS.WriteStream {
  return stream as NodeJS.WriteStream;
}
