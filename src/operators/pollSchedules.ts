import { ConfigError } from '../pardot/errors';

/**
 * A poll schedule: the delay in milliseconds before poll number `n` (0-based). The first poll
 * waits `schedule(0)` after the poll starts.
 */
export type PollSchedule = (n: number) => number;

const MINUTE_MS = 60_000;

/**
 * The interval the Pardot bulk-data guide recommends for exports run now and then:
 * ceil(n * n / 5 + 1) minutes before poll n, so 1, 2, 2, 3, 5, 6, 9, 11, ... minutes.
 * Quick exports are seen soon; long ones cost few reads of the daily quota.
 */
export const growing: PollSchedule = (n) => Math.ceil((n * n) / 5 + 1) * MINUTE_MS;

/** The same delay before every poll (`PARDOT_EXPORT_POLL=30s`). */
export function fixed(intervalMs: number): PollSchedule {
  if (!(intervalMs > 0)) throw new ConfigError(`poll interval must be positive, got ${intervalMs}`);
  return () => intervalMs;
}

export interface AdaptiveOptions {
  /** How many of the newest durations are averaged. Default 5. */
  sample?: number;
  /** Delay between polls after the first, milliseconds. Default max(30 s, mean / 10). */
  stepMs?: number;
  /** Schedule used when no duration is known yet. Default `growing`. */
  fallback?: PollSchedule;
}

/**
 * For exports run regularly: the first poll waits the mean of the last few export durations
 * of the object (StateStore.exportDurations, newest last), later polls follow every `stepMs`.
 * A daily export that usually takes 15 minutes is read once or twice instead of six times.
 * With no history it behaves as `fallback`.
 */
export function adaptive(
  durationsMs: readonly number[],
  options: AdaptiveOptions = {},
): PollSchedule {
  const recent = durationsMs.slice(-(options.sample ?? 5)).filter((d) => d > 0);
  if (recent.length === 0) return options.fallback ?? growing;

  const mean = Math.round(recent.reduce((a, b) => a + b, 0) / recent.length);
  const stepMs = options.stepMs ?? Math.max(30_000, Math.round(mean / 10));
  return (n) => (n === 0 ? mean : stepMs);
}

/**
 * Reads a schedule from its configuration text: `growing`, a fixed interval such as `30s`,
 * `2m` or `1500ms`, or `adaptive` (needs the durations).
 */
export function parsePollSchedule(text: string, durationsMs: readonly number[] = []): PollSchedule {
  if (text === 'growing') return growing;
  if (text === 'adaptive') return adaptive(durationsMs);

  const m = /^(\d+)(ms|s|m)$/.exec(text.trim());
  if (!m)
    throw new ConfigError(`'${text}' is not a poll schedule: use growing, adaptive, 30s or 2m`);
  const unitMs = m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : MINUTE_MS;
  return fixed(Number(m[1]) * unitMs);
}
