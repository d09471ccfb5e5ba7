import {
  adaptive,
  fixed,
  growing,
  parsePollSchedule,
  type PollSchedule,
} from '../operators/pollSchedules';
import { ConfigError } from '../pardot/errors';
import type { StateStore } from '../state/types';

/** The embedded sandbox finishes exports in seconds: poll it every second. */
const SANDBOX_POLL_MS = 1000;

/**
 * The export poll schedule per object, from `PARDOT_EXPORT_POLL`: `growing` (the default,
 * ceil(n*n/5 + 1) minutes), `adaptive` (from the object's recent export durations in the run
 * state), or a fixed interval (`30s`, `2m`). Against the embedded sandbox, with the variable
 * unset, a one-second interval. A bad value is a ConfigError naming the variable.
 */
export function exportScheduleFor(
  text: string | undefined,
  sandbox: boolean,
  state: StateStore,
): (object: string) => PollSchedule {
  if (text === undefined || text.trim() === '') {
    const schedule = sandbox ? fixed(SANDBOX_POLL_MS) : growing;
    return () => schedule;
  }
  if (text.trim() === 'adaptive') return (object) => adaptive(state.exportDurations(object));

  try {
    const schedule = parsePollSchedule(text.trim());
    return () => schedule;
  } catch (error) {
    throw new ConfigError(`PARDOT_EXPORT_POLL: ${(error as Error).message}`);
  }
}
