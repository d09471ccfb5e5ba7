import { spawn } from 'node:child_process';
import * as path from 'node:path';

import type { Sandbox } from '../../src/sandbox';

export const ROOT = path.resolve(__dirname, '../..');

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Credentials of a running sandbox as the environment variables a user would set. */
export function sandboxEnv(sandbox: Sandbox): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    PARDOT_API_URL: sandbox.url,
    PARDOT_LOGIN_URL: sandbox.loginUrl,
    PARDOT_BUSINESS_UNIT_ID: sandbox.businessUnitId,
    PARDOT_CLIENT_ID: sandbox.credentials.clientId,
    PARDOT_CLIENT_SECRET: sandbox.credentials.clientSecret,
    PARDOT_REFRESH_TOKEN: sandbox.credentials.refreshToken,
    PARDOT_EXPORT_POLL: '500ms',
  };
}

export interface RunOptions {
  env: Record<string, string>;
  /** Called with the child as soon as it is started (crash tests kill it). */
  onStart?: (pid: number, kill: (signal: NodeJS.Signals) => void) => void;
  /** Upper bound of the run, milliseconds. Default 60000. */
  timeoutMs?: number;
  cwd?: string;
}

/** Runs a pipeline file as a user would, in a child process, and collects its output. */
export function runPipelineFile(
  file: string,
  args: string[],
  options: RunOptions,
): Promise<ChildRun> {
  const argv = ['-r', 'ts-node/register', file, ...args];
  return runChild(process.execPath, argv, options, `${file} ${args.join(' ')}`);
}

/** Runs a bash command line (a pipe, say) in the project root and collects its output. */
export function runShell(command: string, env: Record<string, string>): Promise<ChildRun> {
  return runChild('bash', ['-c', command], { env }, command);
}

function runChild(
  command: string,
  argv: string[],
  options: RunOptions,
  label: string,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      cwd: options.cwd ?? ROOT,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} did not finish in time:\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    options.onStart?.(child.pid!, (signal) => child.kill(signal));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
