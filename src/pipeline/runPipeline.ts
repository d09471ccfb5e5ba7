import { existsSync } from 'node:fs';

import { config as loadDotenv } from 'dotenv';
import { DateTime } from 'luxon';
import { merge, type Subscription } from 'rxjs';

import { createLogger, type Logger } from '../log';
import { OutputClosedError, QuotaError } from '../pardot/errors';
import type { PardotClientOptions } from '../pardot/PardotClient';
import type { PageFlow } from '../sources/PageFlow';
import { FileStateStore } from '../state/FileStateStore';
import { DeferredWrites } from '../state/DeferredWrites';
import { MemoryStateStore } from '../state/MemoryStateStore';
import type { StateStore } from '../state/types';
import { parseCliArgs, UsageError, USAGE_OPTIONS, type CliArgs } from './cliArgs';
import { connectApi, type ConnectedApi } from './connectApi';
import { checkOverlaps } from './checkOverlaps';
import { customFieldColumns } from './customFieldColumns';
import type { PipelineContext, PipelineDefinition, StreamDefinition } from './definePipeline';
import { describePlan } from './describePlan';
import { exitCodeFor, EXIT } from './exitCodes';
import { exportScheduleFor } from './exportScheduleFor';
import { selectStreams } from './selectStreams';
import { ProgressDisplay } from './ProgressDisplay';
import { RunStats } from './RunStats';
import { streamCommits } from './streamCommits';
import { sinkFor } from './sinkFor';
import { summaryTable } from './summaryTable';

export interface RunPipelineOptions {
  /** Command-line arguments, without node and the script. Default process.argv.slice(2). */
  argv?: string[];
  /** Environment; `.env` in the working directory fills what it lacks. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Where help goes. Default process.stdout. */
  stdout?: NodeJS.WritableStream;
  /** Where logs, progress and the summary go. Default process.stderr. */
  stderr?: NodeJS.WriteStream;
  /** Client options that win over the environment (tests: retry timings). */
  clientOverrides?: Partial<PardotClientOptions>;
  /** Stops the run early (SIGINT does this in `runMain`). */
  signal?: AbortSignal;
}

/**
 * Runs a pipeline definition end to end and resolves with its exit code: 0 done, 1 failed,
 * 2 bad usage or configuration, 75 stopped early for a retryable reason (daily quota met;
 * state saved), 130 interrupted (state saved).
 */
export async function runPipeline(
  definition: PipelineDefinition,
  options: RunPipelineOptions = {},
): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  const log = createLogger(definition.name, {
    level: 'info',
    write: (line) => stderr.write(line + '\n'),
  });
  let args: CliArgs;
  try {
    args = parseCliArgs(options.argv ?? process.argv.slice(2));
    if (args.help) {
      (options.stdout ?? process.stdout).write(`${usage(definition)}\n`);
      return EXIT.ok;
    }
    definition.validate?.(args);
  } catch (error) {
    stderr.write(`${(error as Error).message}\n\n${usage(definition)}\n`);
    return EXIT.usage;
  }

  let api: ConnectedApi | null = null;
  try {
    const env = withDotenv(options.env ?? process.env);
    api = await connectApi({
      env,
      forceSandbox: args.sandbox,
      log,
      overrides: options.clientOverrides,
    });
    const streams = { stdout: options.stdout ?? process.stdout, stderr };
    return await execute(definition, args, env, api, log, streams, options.signal);
  } catch (error) {
    return reportFailure(error, log);
  } finally {
    await api?.close();
  }
}

/** Runs a pipeline as the main module: SIGINT stops it cleanly, the exit code is set. */
export function runMain(definition: PipelineDefinition): void {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  // `on`, not `once`: signal-exit (under write-file-atomic) re-raises a signal that no other
  // listener is left to handle, which would kill the run before it saves its state.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  runPipeline(definition, { signal: controller.signal }).then((code) => {
    process.exitCode = code;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
}

async function execute(
  definition: PipelineDefinition,
  args: CliArgs,
  env: Record<string, string | undefined>,
  api: ConnectedApi,
  log: Logger,
  { stdout, stderr }: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream },
  signal: AbortSignal | undefined,
): Promise<number> {
  const { client } = api;
  const nowMs = api.sandbox ? api.sandbox.clock.now() : Date.now();
  const context: Omit<PipelineContext, 'state'> = {
    args,
    time: client.time,
    nowMs,
    yesterday: DateTime.fromMillis(nowMs, { zone: client.time.zone })
      .minus({ days: 1 })
      .toISODate()!,
  };
  refuseUnfinishedDays(args, context);
  const state = await openState(args, log);
  let streams: StreamDefinition[];
  try {
    streams = await plan(definition, { ...context, state }, args);
  } catch (error) {
    await state.close();
    throw error;
  }
  if (args.dryRun) {
    stdout.write(`${describePlan(streams, client.time)}\n`);
    await state.close();
    return EXIT.ok;
  }

  const stats = new RunStats();
  const display = new ProgressDisplay(stats, { stream: stderr });
  client.on('request', (e) => stats.onCall(e.object));
  client.on('retry', (e) => stats.onRetry(e.object));
  try {
    const extraColumns = await customFieldColumns(client, streams);
    const sink = (flow: PageFlow) => sinkFor(args, { state, extraColumns, nowMs }, flow);
    const exportSchedule = exportScheduleFor(env.PARDOT_EXPORT_POLL, api.sandbox !== null, state);
    const runs = streams.map((stream) =>
      streamCommits(stream, { api: client, state, stats, sink, exportSchedule, nowMs }),
    );
    display.start();
    await runUntil(merge(...runs), signal);
    return signal?.aborted ? stopped(log) : EXIT.ok;
  } finally {
    display.stop();
    stats.stopUnfinished();
    stderr.write(`\n${summaryTable(stats, api.sandbox?.settings.dailyQuota)}\n`);
    await state.close();
  }
}

/**
 * The streams to run, refused when they overlap the lake's windows of another shape. What the
 * pipeline records while planning (pending days, a resolved end) is kept only when the run
 * goes ahead: a dry run or a refused run writes nothing.
 */
async function plan(
  definition: PipelineDefinition,
  context: PipelineContext,
  args: CliArgs,
): Promise<StreamDefinition[]> {
  const planning = new DeferredWrites(context.state);
  const planned = await definition.streams({ ...context, state: planning });
  const streams = selectStreams(planned, args.objects);

  checkOverlaps(streams, context.state, context.time);
  if (!args.dryRun) await planning.flush();
  return streams;
}

/**
 * The run state: the lake's state file (a dry run reads it and writes nothing), or one in
 * memory for a dry run of a new lake and for records sent to stdout without `--state` (they
 * are not in the lake and must not mark its days as done).
 */
async function openState(args: CliArgs, log: Logger): Promise<StateStore & Closable> {
  const fresh = args.dryRun && !existsSync(args.state);
  if (fresh || (args.format === 'stdout' && !args.stateGiven)) return new MemoryStateStore();
  return FileStateStore.open({ path: args.state, onNote: (m) => log.warn(m) });
}

interface Closable {
  close(): Promise<void>;
}

/** Subscribes until the run completes, fails, or the signal aborts it. */
function runUntil(run: ReturnType<typeof merge>, signal: AbortSignal | undefined) {
  return new Promise<void>((resolve, reject) => {
    // Ctrl-C while connecting fired before this listener existed: start nothing.
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      subscription.unsubscribe();
      resolve();
    };
    const done = () => signal?.removeEventListener('abort', onAbort);
    const subscription: Subscription = run.subscribe({
      error: (error: unknown) => (done(), reject(error)),
      complete: () => (done(), resolve()),
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A day that is not over in the account's zone would be pulled in part and then recorded as
 * done, so the rest of it would never be read: `--date` and `--to` must name past days.
 */
function refuseUnfinishedDays(
  args: CliArgs,
  context: Pick<PipelineContext, 'time' | 'yesterday'>,
): void {
  for (const [flag, value] of [
    ['--date', args.date],
    ['--to', args.to],
  ] as const) {
    if (value !== undefined && value > context.yesterday) {
      throw new UsageError(
        `${flag} ${value} is not over yet in the account's zone (${context.time.zone}); ` +
          `the last full day is ${context.yesterday}`,
      );
    }
  }
}

function stopped(log: Logger): number {
  log.warn('interrupted: state is saved up to the last committed file; run again to resume');
  return EXIT.interrupted;
}

function reportFailure(error: unknown, log: Logger): number {
  if (error instanceof OutputClosedError) return EXIT.ok;

  const message = error instanceof Error ? error.message : String(error);
  // The quota error says when to run again; the runner adds that nothing is lost meanwhile.
  const advice = error instanceof QuotaError ? '; state is saved' : '';
  log.error(`${message}${advice}`);
  return exitCodeFor(error);
}

function withDotenv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const fromFile: Record<string, string> = {};
  loadDotenv({ processEnv: fromFile, quiet: true });
  return { ...fromFile, ...env };
}

function usage(definition: PipelineDefinition): string {
  return (
    `Usage: npx ts-node pipelines/${definition.name}.ts [options]\n\n` +
    `${definition.description}\n\n${USAGE_OPTIONS}`
  );
}
