import { spawnSync } from 'node:child_process';

/**
 * Runs `script` with ts-node in a child process and returns the JSON its stdout ends with.
 * Each measurement that reports peak memory runs alone in its own child, so maxRSS is its own.
 */
export function runChild<T>(script: string, args: readonly string[]): T {
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register', script, ...args], {
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`bench child ${script} ${args.join(' ')} failed: ${result.stderr}`);
  }
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** Peak resident set size of this process so far, MiB. */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
