import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';

import { runPipeline } from '../../src/pipeline';
import type { PipelineDefinition } from '../../src/pipeline';
import { lakeRows } from './lakeRows';

export interface BenchRunOptions {
  /** PARDOT_* variables of the sandbox child, and any others (PARDOT_EXPORT_POLL). */
  env: Record<string, string>;
  /** Sink format. Default 'parquet'. */
  format?: 'parquet' | 'ndjson';
  /** Extra command-line arguments. Default none. */
  argv?: string[];
}

export interface BenchRun {
  /** Exit code of the run. */
  code: number;
  /** Wall time of the whole run (connect, streams, last commit), milliseconds. */
  ms: number;
  /** When the run resolved, epoch milliseconds (before the output is counted). */
  endedAtMs: number;
  /** Rows found in the output afterwards, by object directory (`visitor_activity`). */
  rows: Record<string, number>;
  /** What the run wrote on stderr (logs and its summary table). */
  stderr: string;
}

/**
 * Runs a pipeline definition as a user would (runPipeline, the sink from `--format`), into a
 * temporary lake that is counted and then removed.
 */
export async function runBenchPipeline(
  definition: PipelineDefinition,
  options: BenchRunOptions,
): Promise<BenchRun> {
  const out = mkdtempSync(path.join(tmpdir(), 'pp-bench-lake-'));
  const chunks: string[] = [];
  const stderr = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  try {
    const format = options.format ?? 'parquet';
    const argv = ['--out', out, '--format', format, ...(options.argv ?? [])];
    const started = performance.now();
    const code = await runPipeline(definition, { argv, env: options.env, stderr });
    const ms = performance.now() - started;
    const endedAtMs = Date.now();
    return { code, ms, endedAtMs, rows: await lakeRows(out), stderr: chunks.join('') };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
