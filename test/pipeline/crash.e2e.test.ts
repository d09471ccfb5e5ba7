import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LocalTime } from '../../src/pardot/LocalTime';
import { nextDay } from '../../src/pipeline/nextDay';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { expectedRows, lakeRows, normalise } from './lakeTruth';
import { runPipelineFile, sandboxEnv, type ChildRun } from './runDaily';

/** When to kill the pipeline process with SIGKILL. */
type KillPoint =
  | { afterRequests: number }
  /** A part being written aside: the kill lands mid-file. */
  | { tempFile: true }
  /** A part renamed into place: the kill lands between the rename and the state write. */
  | { partFiles: number };

describe('a pipeline killed with SIGKILL and run again', () => {
  let sandbox: Sandbox;
  let time: LocalTime;
  let day: string;
  let window: { startMs: number; endMs: number };

  beforeAll(async () => {
    sandbox = await startSandbox({
      seed: 11,
      visitorActivitiesPerDay: 3000,
      settings: {
        latencyMs: 15,
        exportQueueMs: 100,
        exportProcessingMs: 300,
        exportRowsPerFile: 400,
      },
    });
    time = new LocalTime(sandbox.timezone);
    day = time.isoDate(sandbox.clock.now() - 86_400_000);
    window = { startMs: time.dayStart(day), endMs: time.dayStart(nextDay(day)) };
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('ends with every row exactly once on the query path', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'crash-query-'));
    const file = 'test/pipeline/fixtures/hourlyActivity.ts';
    const points: KillPoint[] = [
      { afterRequests: 4 },
      { tempFile: true },
      { partFiles: 3 },
      { afterRequests: 25 },
      { partFiles: 2 },
    ];

    const runs = await crashThenFinish(sandbox, file, out, day, points);

    expect(runs.map((r) => r.signal)).toEqual([...points.map(() => 'SIGKILL'), null]);
    expect(runs[runs.length - 1].code).toBe(0);
    await expectExactlyOnce(out, ['visitorActivity', 'prospect']);
  });

  it('ends with every row exactly once on the export path', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'crash-export-'));
    const points: KillPoint[] = [
      { afterRequests: 3 },
      { afterRequests: 6 },
      { tempFile: true },
      { partFiles: 1 },
    ];

    const runs = await crashThenFinish(sandbox, 'pipelines/daily.ts', out, day, points, [
      '--objects',
      'visitorActivity,prospect,visitor,emailClick',
    ]);

    expect(runs[runs.length - 1].code).toBe(0);
    expect(runs.filter((r) => r.signal === 'SIGKILL').length).toBe(points.length);
    await expectExactlyOnce(out, ['visitorActivity', 'prospect', 'visitor', 'emailClick']);
  });

  async function expectExactlyOnce(out: string, objects: string[]): Promise<void> {
    const leftovers = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.tmp') || f.endsWith('.lock'),
    );
    expect(leftovers).toEqual([]);
    for (const object of objects) {
      const expected = expectedRows(sandbox, object, window).map((r) => normalise(object, r, time));
      expect({ object, rows: await lakeRows(out, object) }).toEqual({ object, rows: expected });
    }
  }
});

/** Runs the pipeline once per kill point, killing it there, then once to the end. */
async function crashThenFinish(
  sandbox: Sandbox,
  file: string,
  out: string,
  day: string,
  points: KillPoint[],
  extra: string[] = [],
): Promise<ChildRun[]> {
  const args = ['--out', out, '--date', day, ...extra];
  const env = { ...sandboxEnv(sandbox), PARDOT_EXPORT_POLL: '100ms' };
  const runs: ChildRun[] = [];
  for (const point of points) {
    let watcher: NodeJS.Timeout | undefined;
    const start = { calls: sandbox.log.calls, parts: partCount(out) };
    const run = await runPipelineFile(file, args, {
      env,
      onStart: (_pid, kill) => {
        watcher = setInterval(() => {
          if (reached(point, start, sandbox.log.calls, out)) kill('SIGKILL');
        }, 1);
      },
    });
    clearInterval(watcher);
    runs.push(run);
  }
  runs.push(await runPipelineFile(file, args, { env }));
  return runs;
}

function reached(
  point: KillPoint,
  start: { calls: number; parts: number },
  calls: number,
  out: string,
): boolean {
  if ('afterRequests' in point) return calls - start.calls >= point.afterRequests;
  if ('tempFile' in point) return files(out).some((f) => f.endsWith('.tmp'));
  return partCount(out) - start.parts >= point.partFiles;
}

function files(out: string): string[] {
  return readdirSync(out, { recursive: true, encoding: 'utf8' });
}

function partCount(out: string): number {
  return files(out).filter((f) => /part-[^/]*\.(parquet|ndjson)$/.test(f)).length;
}
