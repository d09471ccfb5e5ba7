import type { TimeWindow } from '../sources/types';
import type { StateStore } from '../state/types';

/**
 * When a stream's window was first extracted, kept in the run state before its first part is
 * written: entity snapshots are partitioned by that date, and a window resumed on a later day
 * must write where its first attempt wrote, so the re-written parts replace the old ones.
 */
export function extractedAt(
  state: StateStore,
  stream: string,
  window: TimeWindow,
): number | undefined {
  const value = state.get(stream, keyOf(window));
  return typeof value === 'number' ? value : undefined;
}

/** Records the extraction time of a window unless an earlier attempt already did. */
export async function noteExtraction(
  state: StateStore,
  stream: string,
  window: TimeWindow,
  nowMs: number,
): Promise<void> {
  if (extractedAt(state, stream, window) === undefined) {
    await state.set(stream, keyOf(window), nowMs);
  }
}

function keyOf(window: TimeWindow): string {
  return `extractedAt:${window.startMs}-${window.endMs}`;
}
