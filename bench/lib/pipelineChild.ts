/**
 * One pipeline run in a process of its own, so its peak RSS is its own: the sandbox runs in a
 * further child, the pipeline here. Used by bench/export-path.ts and bench/query-memory.ts.
 *
 *   node -r ts-node/register bench/lib/pipelineChild.ts query 100000 parquet
 *
 * Prints one JSON line of ChildResult on stdout.
 */
import * as path from 'node:path';

import { DateTime } from 'luxon';

import { definePipeline } from '../../src/pipeline';
import { dateWindows } from '../../src/sources/dateWindows';
import { peakRssMiB, runChild } from './runChild';
import { runBenchPipeline } from './runBenchPipeline';
import { startSandboxChild } from './sandboxChild';

export type Mode = 'query' | 'export';
export type Format = 'parquet' | 'ndjson';

export interface ChildResult {
  mode: Mode;
  format: Format;
  rows: number;
  /** Whole run, milliseconds. */
  ms: number;
  /** From the first export download (or the first query) to the end, milliseconds. */
  dataMs: number;
  rowsPerSecond: number;
  peakRssMiB: number;
  calls: number;
}

const DAYS = 30;
/** Generated rows per weekday for `rows` over 30 days (weekends are quieter). */
const PER_DAY_FACTOR = 7650 / 203_542;

/** Runs one measurement in its own child process. */
export function measureInChild(mode: Mode, rows: number, format: Format): ChildResult {
  return runChild<ChildResult>(path.join(__dirname, 'pipelineChild.ts'), [
    mode,
    String(rows),
    format,
  ]);
}

async function measure(mode: Mode, targetRows: number, format: Format): Promise<ChildResult> {
  const sandbox = await startSandboxChild({
    perDay: Math.round(targetRows * PER_DAY_FACTOR),
    historyDays: DAYS + 10,
    // One file per million rows is what a big real export looks like.
    exportRowsPerFile: 1_000_000,
  });
  try {
    const today = DateTime.now().setZone(sandbox.timezone).startOf('day');
    const range = { start: today.minus({ days: DAYS }).toISODate()!, end: today.toISODate()! };
    const definition = definePipeline({
      name: `bench-${mode}`,
      description: `Visitor activity of ${DAYS} days through the ${mode} path.`,
      streams: ({ time }) => [
        mode === 'export'
          ? {
              object: 'visitorActivity',
              source: 'export',
              windows: dateWindows({ ...range, zone: time, step: { days: DAYS } }),
            }
          : {
              object: 'visitorActivity',
              source: 'query',
              windows: dateWindows({ ...range, zone: time }),
              concurrency: 5,
            },
      ],
    });
    const env = { ...sandbox.env, PARDOT_EXPORT_POLL: '200ms' };
    const run = await runBenchPipeline(definition, { env, format });
    if (run.code !== 0) throw new Error(`pipeline failed:\n${run.stderr}`);

    const log = await sandbox.logSummary();
    const rows = run.rows.visitor_activity ?? 0;
    const dataMs = run.endedAtMs - (mode === 'export' ? log.firstDownloadMs : log.firstStartMs);
    const rowsPerSecond = Math.round((rows * 1000) / dataMs);
    const peak = peakRssMiB();
    const calls = log.calls;
    return { mode, format, rows, ms: run.ms, dataMs, rowsPerSecond, peakRssMiB: peak, calls };
  } finally {
    sandbox.stop();
  }
}

async function main(): Promise<void> {
  const [mode, rows, format] = process.argv.slice(2);
  const result = await measure(mode as Mode, Number(rows), format as Format);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) void main();
