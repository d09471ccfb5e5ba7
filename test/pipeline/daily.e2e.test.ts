import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { QUERY_OBJECTS } from '../../src/pipeline';
import { LocalTime } from '../../src/pardot/LocalTime';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { nextDay } from '../../src/pipeline/nextDay';
import { expectedRows, lakeRows, normalise } from './lakeTruth';
import { runPipelineFile, sandboxEnv } from './runDaily';

const OBJECTS = ['visitorActivity', ...QUERY_OBJECTS, 'visit'];

describe('pipelines/daily.ts', () => {
  let sandbox: Sandbox;
  let out: string;
  let day: string;
  let time: LocalTime;

  beforeAll(async () => {
    sandbox = await startSandbox({
      seed: 7,
      visitorActivitiesPerDay: 2000,
      settings: { exportQueueMs: 100, exportProcessingMs: 400, exportRowsPerFile: 700 },
    });
    time = new LocalTime(sandbox.timezone);
    day = time.isoDate(sandbox.clock.now() - 86_400_000);
    out = mkdtempSync(path.join(tmpdir(), 'daily-e2e-'));
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('pulls every object of the day into Parquet, equal to the sandbox, exactly once', async () => {
    const run = await runPipelineFile('pipelines/daily.ts', ['--out', out, '--date', day], {
      env: sandboxEnv(sandbox),
    });

    expect(run.stderr).toContain('connected to');
    expect(run.code).toBe(0);
    const window = { startMs: time.dayStart(day), endMs: time.dayStart(nextDay(day)) };
    for (const object of OBJECTS) {
      const expected = expectedRows(sandbox, object, window).map((r) => normalise(object, r, time));
      const actual = await lakeRows(out, object);
      expect({ object, rows: actual }).toEqual({ object, rows: expected });
    }
    const activities = expectedRows(sandbox, 'visitorActivity', window);
    expect(activities.length).toBeGreaterThan(1000);
  });

  it('changes nothing and spends few calls when run again', async () => {
    const before = snapshot(out);
    const callsBefore = apiCalls(sandbox);

    const run = await runPipelineFile('pipelines/daily.ts', ['--out', out, '--date', day], {
      env: sandboxEnv(sandbox),
    });

    expect(run.code).toBe(0);
    expect(snapshot(out)).toEqual(before);
    // The user look-up for the time zone and the custom-field read; every window is done.
    expect(apiCalls(sandbox) - callsBefore).toBe(2);
  });
});

/** API calls the sandbox served (OAuth token calls excluded). */
function apiCalls(sandbox: Sandbox): number {
  return sandbox.log.entries.filter((e) => !e.path.startsWith('/services/oauth2')).length;
}

/** Every data file under the lake with its size, mtime and content hash. */
function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else if (!name.startsWith('_state')) {
        const hash = createHash('sha256').update(readFileSync(full)).digest('hex');
        files[path.relative(root, full)] = `${stat.size} ${stat.mtimeMs} ${hash}`;
      }
    }
  };
  walk(root);
  return files;
}
