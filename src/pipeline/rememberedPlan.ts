import type { LocalTime } from '../pardot/LocalTime';
import type { StateStore } from '../state/types';
import { nextDay } from './nextDay';

/**
 * The days a daily pipeline must pull: `day`, and the days earlier runs planned but did not
 * finish (stopped by the quota, interrupted, failed), so a run on the next day picks them up
 * instead of moving on and leaving a gap. A day is finished when every stream the pipeline
 * defines has its window for that day recorded as done. The list is kept in the run state
 * under the pipeline's name.
 */
export async function pendingDays(
  state: StateStore,
  pipeline: string,
  streams: readonly string[],
  time: LocalTime,
  day: string,
): Promise<string[]> {
  const key = `_${pipeline}`;
  const saved = state.get(key, 'pendingDays');
  const earlier = Array.isArray(saved) ? saved.filter((d) => typeof d === 'string') : [];
  const unfinished = earlier.filter((d) => d !== day && !dayDone(state, streams, time, d));
  const pending = [...unfinished, day].sort();

  await state.set(key, 'pendingDays', pending);
  return pending;
}

/**
 * The last day of a backfill started with `from` and no `--to`: the yesterday of its first
 * run, kept in the run state, so running the same command on a later day resumes the same
 * windows instead of shifting them all by a day.
 */
export async function rememberedEnd(
  state: StateStore,
  pipeline: string,
  from: string,
  yesterday: string,
): Promise<string> {
  const key = `_${pipeline}`;
  const saved = state.get(key, `to:${from}`);
  if (typeof saved === 'string') return saved;

  await state.set(key, `to:${from}`, yesterday);
  return yesterday;
}

function dayDone(
  state: StateStore,
  streams: readonly string[],
  time: LocalTime,
  day: string,
): boolean {
  const window = { startMs: time.dayStart(day), endMs: time.dayStart(nextDay(day)) };
  return streams.every((stream) => state.progress(stream, window)?.done === true);
}
