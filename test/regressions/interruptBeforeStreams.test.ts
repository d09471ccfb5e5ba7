import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { daily } from '../../pipelines/daily';
import { runPipeline } from '../../src/pipeline';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { sandboxEnv } from '../pipeline/runDaily';

describe('runPipeline interrupted before its streams start', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 5, visitorActivitiesPerDay: 200 });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('stops with exit code 130 and pulls nothing', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'interrupt-early-'));
    const controller = new AbortController();
    // Ctrl-C while the client connects (token, user's time zone), before any stream runs.
    controller.abort();

    const code = await runPipeline(daily, {
      argv: ['--out', out, '--format', 'ndjson', '--objects', 'prospect,visitor'],
      env: sandboxEnv(sandbox),
      stderr: new PassThrough() as unknown as NodeJS.WriteStream,
      signal: controller.signal,
    });

    expect(code).toBe(130);
    expect(existsSync(path.join(out, 'prospect'))).toBe(false);
    expect(existsSync(path.join(out, 'visitor'))).toBe(false);
  });
});
