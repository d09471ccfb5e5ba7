/**
 * Export polls: for exports that take 1, 5, 15 and 60 minutes, the read calls each poll
 * schedule of src/operators/pollSchedules.ts makes before it sees the export complete:
 * growing (ceil(n*n/5 + 1) minutes), fixed every minute, and adaptive with a history equal to
 * the duration. Plain arithmetic over the schedule functions: poll n happens at the sum of
 * the first n+1 delays, and the export is seen complete by the first poll at or after it ends.
 *
 * Run: npx ts-node bench/poll-calls.ts
 */
import { adaptive, fixed, growing, type PollSchedule } from '../src/operators/pollSchedules';
import { figureTable, info, type Figure } from './lib/figures';

const MINUTE_MS = 60_000;
const DURATIONS_MIN = [1, 5, 15, 60];

/** Reads until the first poll at or after `durationMs`, and how late that poll is. */
export function pollsUntil(
  schedule: PollSchedule,
  durationMs: number,
): { reads: number; lateMs: number } {
  let atMs = 0;
  for (let n = 0; ; n += 1) {
    atMs += schedule(n);
    if (atMs >= durationMs) return { reads: n + 1, lateMs: atMs - durationMs };
  }
}

/** Read calls per schedule and export duration. */
export function measurePolls(): Figure[] {
  const schedules: Array<[string, (durationMs: number) => PollSchedule]> = [
    ['growing', () => growing],
    ['fixed 1 min', () => fixed(MINUTE_MS)],
    ['adaptive', (durationMs) => adaptive([durationMs])],
  ];
  return schedules.map(([name, make]) => {
    const cells = DURATIONS_MIN.map((minutes) => {
      const { reads, lateMs } = pollsUntil(make(minutes * MINUTE_MS), minutes * MINUTE_MS);
      return `${minutes} min: ${reads} (+${(lateMs / MINUTE_MS).toFixed(1)} min)`;
    });
    return info(`polls: ${name} (reads, seen late by)`, cells.join('; '));
  });
}

if (require.main === module) process.stdout.write(`${figureTable(measurePolls())}\n`);
