import type { LocalTime } from '../pardot/LocalTime';
import type { TimeWindow } from '../sources/types';
import type { StateStore } from '../state/types';
import { UsageError } from './cliArgs';
import type { StreamDefinition } from './definePipeline';
import { plannedWindows } from './plannedWindows';

/**
 * Refuses a run whose windows overlap, without being equal to, windows the state already
 * holds for the same stream: those rows were written by windows of another shape (the daily
 * job's days under a backfill's months), and writing them again would duplicate them in the
 * lake. Equal windows are fine: they resume or are skipped.
 */
export function checkOverlaps(
  streams: StreamDefinition[],
  state: StateStore,
  time: LocalTime,
): void {
  for (const definition of streams) {
    const stream = definition.name ?? definition.object;
    const saved = state.windows(stream).map((p) => p.window);
    if (saved.length === 0) continue;

    for (const planned of plannedWindows(definition)) {
      const clash = saved.find((s) => overlaps(s, planned) && !equal(s, planned));
      if (clash) throw overlapError(stream, planned, clash, time);
    }
  }
}

function overlaps(a: TimeWindow, b: TimeWindow): boolean {
  return a.startMs < b.endMs && b.startMs < a.endMs;
}

function equal(a: TimeWindow, b: TimeWindow): boolean {
  return a.startMs === b.startMs && a.endMs === b.endMs;
}

function overlapError(
  stream: string,
  planned: TimeWindow,
  saved: TimeWindow,
  time: LocalTime,
): UsageError {
  const span = (w: TimeWindow) => `${time.format(w.startMs)} .. ${time.format(w.endMs)}`;
  return new UsageError(
    `${stream}: the window ${span(planned)} overlaps ${span(saved)}, which this lake already ` +
      'holds from windows of another shape (another pipeline, such as the daily job); ' +
      'pulling it again would duplicate rows. Choose a range that does not overlap, or a ' +
      'separate --out.',
  );
}
