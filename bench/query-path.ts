/**
 * Query path, end to end into Parquet, against the sandbox (in a child process) with a fixed
 * latency per request: 30 days of visitor activity (about 200,000 rows) read in daily windows
 * five at a time, beside a few other objects, all under the client's one governor; then the
 * same visitor activities read the way the bulk-data guide and public connectors do, one
 * request at a time in one window, through the same client code.
 *
 * The floor is the fewest pages the rows need, five at a time, each taking the latency:
 * ceil(rows / 200) / 5 x latency. Calls are counted by the sandbox.
 *
 * Run: npx ts-node bench/query-path.ts [latencyMs=50] [perDay=7650]
 */
import { DateTime } from 'luxon';

import { definePipeline, type StreamDefinition } from '../src/pipeline';
import { dateWindows } from '../src/sources/dateWindows';
import { checked, countText, figureTable, info, secondsText, type Figure } from './lib/figures';
import { runBenchPipeline } from './lib/runBenchPipeline';
import { startSandboxChild, type LogSummary } from './lib/sandboxChild';

const DAYS = 30;
const PAGE_ROWS = 200;
const IN_FLIGHT = 5;
/** Objects read beside visitor activity, one 30-day window each. */
const OTHER_OBJECTS = ['prospect', 'visitor', 'listMembership', 'opportunity', 'lifecycleHistory'];
const VA_PATH = '/api/visitorActivity/version/4/do/query';

export interface QueryPathOptions {
  /** Sandbox latency per request, milliseconds. Default 50. */
  latencyMs?: number;
  /** Generated visitor activities per weekday; 7650 gives about 200,000 in 30 days. */
  perDay?: number;
}

/** A 30-day range ending at the start of today in the zone, as local dates. */
function lastDays(zone: string): { start: string; end: string } {
  const today = DateTime.now().setZone(zone).startOf('day');
  return { start: today.minus({ days: DAYS }).toISODate()!, end: today.toISODate()! };
}

function concurrentPipeline(range: { start: string; end: string }) {
  return definePipeline({
    name: 'bench-concurrent',
    description: 'Visitor activity in daily windows, five at a time, and other objects beside.',
    streams: ({ time }): StreamDefinition[] => [
      {
        object: 'visitorActivity',
        source: 'query',
        windows: dateWindows({ ...range, zone: time }),
        concurrency: IN_FLIGHT,
      },
      ...OTHER_OBJECTS.map((object) => ({
        object,
        source: 'query' as const,
        windows: dateWindows({ ...range, zone: time, step: { days: DAYS } }),
      })),
    ],
  });
}

function sequentialPipeline(range: { start: string; end: string }) {
  return definePipeline({
    name: 'bench-sequential',
    description: 'Visitor activity in one window, one request at a time.',
    streams: ({ time }) => [
      {
        object: 'visitorActivity',
        source: 'query',
        windows: dateWindows({ ...range, zone: time, step: { days: DAYS } }),
        concurrency: 1,
      },
    ],
  });
}

/** Runs both pulls against one sandbox child and returns their figures. */
export async function measureQueryPath(options: QueryPathOptions = {}): Promise<Figure[]> {
  const latencyMs = options.latencyMs ?? 50;
  const sandbox = await startSandboxChild({
    latencyMs,
    perDay: options.perDay ?? 7650,
    historyDays: DAYS + 10,
  });
  try {
    const range = lastDays(sandbox.timezone);
    const concurrent = await runBenchPipeline(concurrentPipeline(range), { env: sandbox.env });
    const concurrentLog = await sandbox.logSummary();
    await sandbox.clearLog();
    const sequential = await runBenchPipeline(sequentialPipeline(range), { env: sandbox.env });
    const sequentialLog = await sandbox.logSummary();
    if (concurrent.code !== 0 || sequential.code !== 0) {
      throw new Error(`bench run failed:\n${concurrent.stderr}\n${sequential.stderr}`);
    }

    const vaRows = concurrent.rows.visitor_activity ?? 0;
    const seqRows = sequential.rows.visitor_activity ?? 0;
    if (seqRows !== vaRows) throw new Error(`row counts differ: ${vaRows} and ${seqRows}`);
    return figures(latencyMs, concurrent, concurrentLog, sequential.ms, sequentialLog);
  } finally {
    sandbox.stop();
  }
}

function figures(
  latencyMs: number,
  concurrent: Awaited<ReturnType<typeof runBenchPipeline>>,
  log: LogSummary,
  sequentialMs: number,
  sequentialLog: LogSummary,
): Figure[] {
  const vaRows = concurrent.rows.visitor_activity ?? 0;
  const otherRows = Object.entries(concurrent.rows).filter(([k]) => k !== 'visitor_activity');
  const minPages =
    Math.ceil(vaRows / PAGE_ROWS) +
    otherRows.reduce((n, [, rows]) => n + Math.ceil(rows / PAGE_ROWS), 0);
  const floorMs = (minPages / IN_FLIGHT) * latencyMs;
  const ratio = concurrent.ms / floorMs;
  const vaCalls = log.byPath[VA_PATH] ?? 0;
  const vaCallLimit = Math.ceil(vaRows / PAGE_ROWS) + DAYS;
  const otherCount = otherRows.reduce((n, [, rows]) => n + rows, 0);
  const speedup = sequentialMs / concurrent.ms;

  return [
    info(
      `query: rows (latency ${latencyMs} ms)`,
      `${countText(vaRows)} visitor activities + ${countText(otherCount)} other rows`,
    ),
    info('query: floor ceil(rows/200)/5 x latency', secondsText(floorMs)),
    info('query: wall time, 5 in flight', secondsText(concurrent.ms)),
    checked('query: wall / floor', ratio.toFixed(2), '<= 1.20', ratio <= 1.2),
    checked(
      'query: visitorActivity calls',
      countText(vaCalls),
      `<= ${countText(vaCallLimit)} (pages + 1 per window)`,
      vaCalls <= vaCallLimit,
    ),
    info(
      'query: all calls, max / mean in flight',
      `${countText(log.calls)}, ${log.maxInFlight} / ${log.meanInFlight.toFixed(2)}`,
    ),
    info(
      'query: one at a time, one window (guide)',
      `${secondsText(sequentialMs)}, ${countText(sequentialLog.calls)} calls`,
    ),
    info('query: speed-up over one at a time', `${speedup.toFixed(2)}x`),
  ];
}

async function main(): Promise<void> {
  const latencyMs = process.argv[2] ? Number(process.argv[2]) : undefined;
  const perDay = process.argv[3] ? Number(process.argv[3]) : undefined;
  const result = await measureQueryPath({ latencyMs, perDay });
  process.stdout.write(`${figureTable(result)}\n`);
}

if (require.main === module) void main();
