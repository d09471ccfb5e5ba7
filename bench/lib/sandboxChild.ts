/**
 * The sandbox in a child process, so its CPU does not count against the client being
 * measured. The parent talks to it over IPC: its URL and credentials once it listens, then
 * the request log (calls, in-flight counts) and ground-truth row counts on demand.
 *
 *   const sandbox = await startSandboxChild({ latencyMs: 50, perDay: 7000, historyDays: 40 });
 *   await runPipeline(definition, { env: sandbox.env });
 *   const log = await sandbox.logSummary();
 *   sandbox.stop();
 */
import { fork } from 'node:child_process';

import type { LoggedRequest } from '../../src/sandbox/RequestLog';

export interface SandboxChildOptions {
  /** Real delay added before each API reply, milliseconds. Default 0. */
  latencyMs?: number;
  /** Average generated visitor activities per weekday. Default 3000. */
  perDay?: number;
  /** Days of generated history. Default 400. */
  historyDays?: number;
  /** Account zone. Default 'America/New_York'. */
  timezone?: string;
  /** Time an export waits in the queue, milliseconds. Default 0. */
  exportQueueMs?: number;
  /** Time an export processes, milliseconds. Default 0. */
  exportProcessingMs?: number;
  /** Rows per export CSV file. Default 100000. */
  exportRowsPerFile?: number;
}

/** What the sandbox's request log says about the requests since the last `clearLog`. */
export interface LogSummary {
  /** API calls (OAuth excluded). */
  calls: number;
  /** API calls by kind: query, export, download, ... */
  byKind: Record<string, number>;
  /** API calls by path (no query string), e.g. `/api/visitorActivity/version/4/do/query`. */
  byPath: Record<string, number>;
  /** Fail replies by Pardot code. */
  failures: Record<string, number>;
  /** Most API requests in flight at once. */
  maxInFlight: number;
  /** API calls by the in-flight count they arrived to (themselves included). */
  inFlightAtStart: Record<string, number>;
  /** Mean time the sandbox took per API call (latency included), milliseconds. */
  meanDurationMs: number;
  /** Time-weighted mean of API requests in flight between the first start and the last end. */
  meanInFlight: number;
  /** Wall time of the first API request's arrival and the last one's end, epoch ms. */
  firstStartMs: number;
  lastEndMs: number;
  /** Arrival of the first download request, epoch ms; 0 when none. */
  firstDownloadMs: number;
}

/** A ground-truth count: rows of `object` whose `field` is in [fromMs, toMs). */
export interface CountQuery {
  object: string;
  field?: 'created_at' | 'updated_at';
  fromMs: number;
  toMs: number;
}

export interface SandboxChild {
  /** PARDOT_* variables that point a pipeline run at this sandbox. */
  env: Record<string, string>;
  timezone: string;
  logSummary(): Promise<LogSummary>;
  /** The request log itself (OAuth calls included), for a closer look. */
  logEntries(): Promise<LoggedRequest[]>;
  clearLog(): Promise<void>;
  count(query: CountQuery): Promise<number>;
  stop(): void;
}

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

/** Starts the sandbox in a child process and resolves once it listens. */
export function startSandboxChild(options: SandboxChildOptions = {}): Promise<SandboxChild> {
  const child = fork(__filename, ['--sandbox-child', JSON.stringify(options)], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, (reply: Reply) => void>();
  const ask = <T>(message: Record<string, unknown>): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (reply) =>
        reply.error ? reject(new Error(reply.error)) : resolve(reply.result as T),
      );
      child.send({ ...message, id });
    });

  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sandbox child exited with ${code}`)));
    child.on('message', (message: Reply & { ready?: { env: Record<string, string> } }) => {
      if (message.ready) {
        resolve({
          env: message.ready.env,
          timezone: message.ready.env.PARDOT_TIMEZONE,
          logSummary: () => ask<LogSummary>({ op: 'log' }),
          logEntries: () => ask<LoggedRequest[]>({ op: 'entries' }),
          clearLog: () => ask<void>({ op: 'clear' }),
          count: (query) => ask<number>({ op: 'count', query }),
          stop: () => child.kill('SIGTERM'),
        });
        return;
      }
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    });
  });
}

async function serve(options: SandboxChildOptions): Promise<void> {
  const { startSandbox } = require('../../src/sandbox') as typeof import('../../src/sandbox');
  const { summarise } = require('./summariseLog') as typeof import('./summariseLog');
  const sandbox = await startSandbox({
    historyDays: options.historyDays,
    visitorActivitiesPerDay: options.perDay,
    timezone: options.timezone,
    settings: {
      latencyMs: options.latencyMs ?? 0,
      exportQueueMs: options.exportQueueMs ?? 0,
      exportProcessingMs: options.exportProcessingMs ?? 0,
      exportRowsPerFile: options.exportRowsPerFile ?? 100_000,
      // The runs here spend more than a real day's quota in minutes.
      dailyQuota: 10_000_000,
    },
  });
  const c = sandbox.credentials;
  const env = {
    PARDOT_API_URL: sandbox.url,
    PARDOT_LOGIN_URL: sandbox.loginUrl,
    PARDOT_BUSINESS_UNIT_ID: sandbox.businessUnitId,
    PARDOT_CLIENT_ID: c.clientId,
    PARDOT_CLIENT_SECRET: c.clientSecret,
    PARDOT_REFRESH_TOKEN: c.refreshToken,
    PARDOT_TIMEZONE: sandbox.timezone,
  };
  process.on('message', (message: { id: number; op: string; query?: CountQuery }) => {
    const reply = (result?: unknown) => process.send?.({ id: message.id, result });
    if (message.op === 'log') reply(summarise(sandbox.log.entries));
    else if (message.op === 'entries') reply(sandbox.log.entries);
    else if (message.op === 'clear') reply(sandbox.log.clear());
    else if (message.op === 'count' && message.query) {
      const q = message.query;
      reply(sandbox.truth.count(q.object, { field: q.field, from: q.fromMs, to: q.toMs }));
    } else process.send?.({ id: message.id, error: `unknown request ${message.op}` });
  });
  process.on('SIGTERM', () => void sandbox.close().then(() => process.exit(0)));
  process.on('disconnect', () => void sandbox.close().then(() => process.exit(0)));
  process.send?.({ ready: { env } });
}

if (process.argv[2] === '--sandbox-child')
  void serve(JSON.parse(process.argv[3]) as SandboxChildOptions);
