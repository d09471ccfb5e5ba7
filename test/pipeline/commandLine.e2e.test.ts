import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LocalTime } from '../../src/pardot/LocalTime';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { nextDay as nextDayOf } from '../../src/pipeline/nextDay';
import { runPipelineFile, runShell, sandboxEnv } from './runDaily';

const BASE_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };

describe('the pipeline command line', () => {
  let sandbox: Sandbox;
  let day: string;

  beforeAll(async () => {
    sandbox = await startSandbox({
      seed: 3,
      visitorActivitiesPerDay: 500,
      settings: { exportQueueMs: 100, exportProcessingMs: 300 },
    });
    day = new LocalTime(sandbox.timezone).isoDate(sandbox.clock.now() - 86_400_000);
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('prints its usage for --help and exits 0', async () => {
    const run = await runPipelineFile('pipelines/daily.ts', ['--help'], { env: BASE_ENV });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: npx ts-node pipelines/daily.ts [options]');
    for (const option of ['--out', '--format', '--state', '--date', '--from', '--to']) {
      expect(run.stdout).toContain(option);
    }
    expect(run.stdout).toContain('--dry-run');
  });

  it('refuses a bad date with exit code 2 and says what is wrong', async () => {
    const run = await runPipelineFile('pipelines/daily.ts', ['--date', '2026-13-01'], {
      env: BASE_ENV,
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--date must be a date YYYY-MM-DD, not '2026-13-01'");
  });

  it('refuses an object the pipeline does not have with exit code 2', async () => {
    const run = await runPipelineFile('pipelines/daily.ts', ['--objects', 'prospect,nope'], {
      env: BASE_ENV,
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--objects: unknown object 'nope'; known: visitorActivity,");
    expect(run.stderr).not.toContain('using the embedded sandbox');
  });

  it('refuses a partial set of credentials rather than falling back to the sandbox', async () => {
    const run = await runPipelineFile('pipelines/daily.ts', [], {
      env: { ...BASE_ENV, PARDOT_CLIENT_ID: 'abc', PARDOT_BUSINESS_UNIT_ID: '0Uv000000000001AAA' },
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/PARDOT_/);
    expect(run.stderr).not.toContain('using the embedded sandbox');
  });

  it('plans a one-year backfill with --dry-run quickly and reads no data', async () => {
    const before = sandbox.log.entries.length;
    const started = Date.now();

    const run = await runPipelineFile(
      'pipelines/backfill.ts',
      ['--from', '2025-12-01', '--to', '2026-11-30', '--dry-run'],
      { env: { ...sandboxEnv(sandbox), PARDOT_TIMEZONE: sandbox.timezone } },
    );

    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    const plan = run.stdout.split('\n');
    expect(plan.slice(0, 4)).toEqual([
      'visitorActivity      export      3 window(s)  2025-12-01 00:00:00 .. 2026-12-01 00:00:00' +
        '  >= 15 calls',
      '                            export 2026-11-01 00:00:00 .. 2026-12-01 00:00:00',
      '                            export 2026-08-01 00:00:00 .. 2026-11-01 00:00:00',
      '                            export 2025-12-01 00:00:00 .. 2026-08-01 00:00:00',
    ]);
    expect(plan).toContain(
      'campaign             query       1 window(s)  2025-12-01 00:00:00 .. 2026-12-01 00:00:00' +
        '  >= 1 calls',
    );
    expect(plan).toContain('estimated API calls: at least 209 (one per 200 rows read on top)');
    const paths = sandbox.log.entries.slice(before).map((e) => e.path);
    expect(paths.filter((p) => !p.startsWith('/services/oauth2'))).toEqual([
      '/api/user/version/4/do/query',
    ]);
  });

  it('stops with exit code 75 when the daily quota is met, then resumes to the end', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'quota-'));
    const env = { ...sandboxEnv(sandbox), PARDOT_TIMEZONE: sandbox.timezone };
    const args = ['--out', out, '--date', day, '--objects', 'prospect,visitor,listMembership'];
    sandbox.settings.dailyQuota = sandbox.quotaUsedToday() + 3;

    const stopped = await runPipelineFile('pipelines/daily.ts', args, { env });
    sandbox.settings.dailyQuota = 1_000_000;
    const resumed = await runPipelineFile('pipelines/daily.ts', args, { env });

    expect(stopped.code).toBe(75);
    expect(stopped.stderr).toMatch(/quota/i);
    expect(stopped.stderr).toMatch(/resets at .*; state is saved/);
    expect(existsSync(path.join(out, '_state.json'))).toBe(true);
    expect(resumed.code).toBe(0);
    const state = JSON.parse(readFileSync(path.join(out, '_state.json'), 'utf8'));
    expect(Object.keys(state.streams).sort()).toEqual([
      '_daily',
      'listMembership',
      'prospect',
      'visitor',
    ]);
    // The day stays pending: the streams --objects left out have not pulled it yet.
    expect(state.streams._daily.values).toEqual({ pendingDays: [day] });
  });
});

describe('an interrupted pipeline', () => {
  it('stops on SIGINT with exit code 130, state saved, and resumes to the end', async () => {
    const sandbox = await startSandbox({
      seed: 5,
      visitorActivitiesPerDay: 300,
      settings: { latencyMs: 150, exportQueueMs: 100, exportProcessingMs: 300 },
    });
    const time = new LocalTime(sandbox.timezone);
    const day = time.isoDate(sandbox.clock.now() - 86_400_000);
    const out = mkdtempSync(path.join(tmpdir(), 'sigint-'));
    const env = { ...sandboxEnv(sandbox), PARDOT_TIMEZONE: sandbox.timezone };
    const args = ['--out', out, '--date', day, '--objects', 'prospect,visitor,visitorActivity'];

    let watcher: NodeJS.Timeout | undefined;
    const interrupted = await runPipelineFile('pipelines/daily.ts', args, {
      env,
      onStart: (_pid, kill) => {
        watcher = setInterval(() => {
          if (sandbox.log.calls >= 3) {
            clearInterval(watcher);
            kill('SIGINT');
          }
        }, 5);
      },
    });
    const resumed = await runPipelineFile('pipelines/daily.ts', args, { env });
    await sandbox.close();

    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain(
      'interrupted: state is saved up to the last committed file',
    );
    expect(existsSync(path.join(out, '_state.json.lock'))).toBe(false);
    expect(resumed.code).toBe(0);
  });
});

describe('days that are not over', () => {
  it('refuses --date today with exit code 2 and names the last full day', async () => {
    const sandbox = await startSandbox({ seed: 2, visitorActivitiesPerDay: 100 });
    const time = new LocalTime(sandbox.timezone);
    const today = time.isoDate(sandbox.clock.now());
    const yesterday = time.isoDate(time.dayStart(today) - 1);
    const out = mkdtempSync(path.join(tmpdir(), 'today-'));

    const run = await runPipelineFile('pipelines/daily.ts', ['--out', out, '--date', today], {
      env: { ...sandboxEnv(sandbox), PARDOT_TIMEZONE: sandbox.timezone },
    });
    await sandbox.close();

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `--date ${today} is not over yet in the account's zone (America/New_York); ` +
        `the last full day is ${yesterday}`,
    );
    expect(existsSync(path.join(out, '_state.json'))).toBe(false);
  });
});

describe('a backfill over days the daily job pulled', () => {
  it('is refused with exit code 2, planned or run, and writes nothing', async () => {
    const sandbox = await startSandbox({
      seed: 4,
      visitorActivitiesPerDay: 100,
      settings: { exportQueueMs: 100, exportProcessingMs: 200 },
    });
    const time = new LocalTime(sandbox.timezone);
    const day = time.isoDate(sandbox.clock.now() - 86_400_000);
    const dayBefore = time.isoDate(time.dayStart(day) - 1);
    const out = mkdtempSync(path.join(tmpdir(), 'overlap-'));
    const env = { ...sandboxEnv(sandbox), PARDOT_TIMEZONE: sandbox.timezone };

    const daily = await runPipelineFile(
      'pipelines/daily.ts',
      ['--out', out, '--date', day, '--objects', 'prospect'],
      { env },
    );
    const backfill = await runPipelineFile(
      'pipelines/backfill.ts',
      ['--out', out, '--from', dayBefore, '--to', day, '--objects', 'prospect'],
      { env },
    );
    const planned = await runPipelineFile(
      'pipelines/backfill.ts',
      ['--out', out, '--from', dayBefore, '--to', day, '--objects', 'prospect', '--dry-run'],
      { env },
    );
    await sandbox.close();

    expect(daily.code).toBe(0);
    expect(planned.code).toBe(2);
    expect(backfill.code).toBe(2);
    const state = JSON.parse(readFileSync(path.join(out, '_state.json'), 'utf8'));
    expect(Object.keys(state.streams).sort()).toEqual(['_daily', 'prospect']);
    expect(backfill.stderr).toContain(
      `prospect: the window ${dayBefore} 00:00:00 .. ${nextDayOf(day)} 00:00:00 overlaps ` +
        `${day} 00:00:00 .. ${nextDayOf(day)} 00:00:00`,
    );
    expect(backfill.stderr).toContain('pulling it again would duplicate rows');
  });
});

describe('records piped to a reader that stops early', () => {
  it('ends the run at once with exit code 0 and only records on stdout', async () => {
    const sandbox = await startSandbox({ seed: 6, visitorActivitiesPerDay: 400 });
    const time = new LocalTime(sandbox.timezone);
    const day = time.isoDate(sandbox.clock.now() - 86_400_000);
    const env = { ...sandboxEnv(sandbox), PARDOT_TIMEZONE: sandbox.timezone };
    const command =
      `node -r ts-node/register pipelines/daily.ts --format stdout --date ${day} ` +
      `--objects prospect,visitor | head -2; echo "status=\${PIPESTATUS[0]}"`;

    const run = await runShell(command, env);
    await sandbox.close();

    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBe(3);
    expect(lines.slice(0, 2).map((l) => typeof JSON.parse(l).id)).toEqual(['number', 'number']);
    expect(lines[2]).toBe('status=0');
  });
});
