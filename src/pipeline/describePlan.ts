import type { LocalTime } from '../pardot/LocalTime';
import { growing } from '../operators/pollSchedules';
import type { TimeWindow } from '../sources/types';
import type { StreamDefinition } from './definePipeline';
import { plannedWindows } from './plannedWindows';
import { fmt } from './ProgressDisplay';

/** Export duration assumed by the estimate when none has been measured, milliseconds. */
const ASSUMED_EXPORT_MS = 5 * 60_000;

/**
 * The `--dry-run` report: each stream's windows and the API calls they will cost at least,
 * made without any data call. Query windows cost one call per 200 rows, so at least one;
 * exports cost a create, the reads of the growing poll schedule for a typical duration, and
 * a download per file.
 */
export function describePlan(streams: StreamDefinition[], time: LocalTime): string {
  const lines: string[] = [];
  let total = 0;
  for (const stream of streams) {
    const windows = plannedWindows(stream);
    const perWindow = stream.source === 'export' ? 2 + pollsFor(ASSUMED_EXPORT_MS) : 1;
    const calls = windows.length * perWindow;
    total += calls;
    const range = windows.length === 0 ? 'no windows' : spanOf(windows, time);
    lines.push(
      `${(stream.name ?? stream.object).padEnd(20)} ${stream.source.padEnd(6)} ` +
        `${fmt(windows.length).padStart(6)} window(s)  ${range}  >= ${fmt(calls)} calls`,
    );
    if (stream.source === 'export') {
      for (const w of windows) lines.push(`${''.padEnd(28)}export ${spanOf([w], time)}`);
    }
  }
  lines.push(`estimated API calls: at least ${fmt(total)} (one per 200 rows read on top)`);
  return lines.join('\n');
}

/** Reads an export polled on the growing schedule makes before `durationMs` has passed. */
export function pollsFor(durationMs: number): number {
  let elapsed = 0;
  let polls = 0;
  while (elapsed < durationMs) {
    elapsed += growing(polls);
    polls += 1;
  }
  return polls;
}

/** The local span the windows cover, whatever their order. */
function spanOf(windows: TimeWindow[], time: LocalTime): string {
  const startMs = Math.min(...windows.map((w) => w.startMs));
  const endMs = Math.max(...windows.map((w) => w.endMs));
  return `${time.format(startMs)} .. ${time.format(endMs)}`;
}
