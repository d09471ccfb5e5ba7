import {
  asyncScheduler,
  defer,
  type MonoTypeOperatorFunction,
  retry,
  type SchedulerLike,
  timer,
} from 'rxjs';

import { isRetriable, type RetriableError, RetriesExhaustedError } from '../pardot/errors';
import { retryDelayMs } from '../pardot/retryDelayMs';

export interface RetryTransientOptions {
  /** Retries after the first failure. Default 5. */
  count?: number;
  /** Delay before the first retry, milliseconds; doubles each retry. Default 1000. */
  baseDelayMs?: number;
  /** Upper bound of one delay, milliseconds. Default 60000. */
  maxDelayMs?: number;
  /** Total time bound from subscription, milliseconds; no wait ends past it. Default 600000. */
  maxElapsedMs?: number;
  /** Random source in [0, 1) for the jitter. Default Math.random. */
  random?: () => number;
  /** Scheduler for the waits. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * The delay before retry `attempt` (1-based): the client's policy (`retryDelayMs`, equal
 * jitter on a capped exponential), so a source retries the way a request does.
 */
export function transientDelayMs(attempt: number, options: RetryTransientOptions = {}): number {
  return retryDelayMs(attempt, options);
}

/**
 * Re-subscribes to the source after a `RetriableError` (5xx, code 66, resets, bad bodies),
 * waiting a jittered exponential delay, at most `count` times and never past `maxElapsedMs`;
 * then errors with `RetriesExhaustedError` whose cause is the last error. Any other error
 * (fatal, quota, configuration) passes through at once: retrying cannot fix it.
 *
 * ```
 * source:          --#              (# = RetriableError)
 * source (retry):       --a|
 * retryTransient:  -------a|        (one jittered wait between the tries)
 * ```
 *
 * @example
 * defer(() => api.query('prospect', params)).pipe(retryTransient({ count: 3 })).subscribe();
 */
export function retryTransient<T>(
  options: RetryTransientOptions = {},
): MonoTypeOperatorFunction<T> {
  const count = options.count ?? 5;
  const maxElapsedMs = options.maxElapsedMs ?? 600_000;
  const scheduler = options.scheduler ?? asyncScheduler;

  return (source) =>
    defer(() => {
      const startedAt = scheduler.now();
      return source.pipe(
        retry({
          delay: (error: unknown, attempt: number) => {
            if (!isRetriable(error)) throw error;

            const delayMs = transientDelayMs(attempt, options);
            const elapsedMs = scheduler.now() - startedAt;
            if (attempt > count || elapsedMs + delayMs > maxElapsedMs) {
              throw exhausted(error, attempt, elapsedMs);
            }
            return timer(delayMs, scheduler);
          },
        }),
      );
    });
}

function exhausted(
  error: RetriableError,
  attempt: number,
  elapsedMs: number,
): RetriesExhaustedError {
  const seconds = Math.round(elapsedMs / 1000);
  return new RetriesExhaustedError(
    `gave up after ${attempt} tries in ${seconds} s: ${error.message}`,
    {
      object: error.object,
      operation: error.operation,
      pardotCode: error.pardotCode,
      status: error.status,
      attempt,
      cause: error,
    },
  );
}
