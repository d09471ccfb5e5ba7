/**
 * Start-up: wall time of `npx ts-node pipelines/daily.ts --help`, median of a few runs (the
 * first one is run and dropped, so a cold disk cache does not count).
 *
 * Run: npx ts-node bench/startup.ts [runs=5]
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { checked, figureTable, secondsText, type Figure } from './lib/figures';

const TARGET_MS = 1500;
const ROOT = path.join(__dirname, '..');

function once(): number {
  const started = performance.now();
  const result = spawnSync('npx', ['ts-node', 'pipelines/daily.ts', '--help'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`--help failed: ${result.stderr}`);
  return ms;
}

/** Median wall time of `--help`. */
export function measureStartup(runs = 5): Figure[] {
  once();
  const times = Array.from({ length: runs }, once).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  return [
    checked(
      `start-up: daily.ts --help (median of ${runs})`,
      secondsText(median),
      `< ${secondsText(TARGET_MS)}`,
      median < TARGET_MS,
    ),
  ];
}

if (require.main === module) {
  process.stdout.write(`${figureTable(measureStartup(Number(process.argv[2] ?? 5)))}\n`);
}
