import {
  asyncScheduler,
  Observable,
  type ObservableInput,
  type SchedulerLike,
  Subscription,
  take,
} from 'rxjs';

import { BadResponseError, PollTimeoutError } from '../pardot/errors';
import { fromAbortable } from './fromAbortable';
import { growing, type PollSchedule } from './pollSchedules';

export interface PollWithBackoffOptions<T> {
  /** True when polling can stop; the value that satisfies it is emitted. */
  until: (value: T) => boolean;
  /** Delay before each poll. Default `growing` (ceil(n*n/5 + 1) minutes). */
  schedule?: PollSchedule;
  /** Total time bound, milliseconds from subscription. Default 6 hours. */
  timeoutMs?: number;
  /** Export id carried by the timeout error. Default none. */
  exportId?: number;
  /** Called with each polled value and its 0-based poll index. Default none. */
  onPoll?: (value: T, n: number) => void;
  /** Scheduler for the waits. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

const SIX_HOURS_MS = 6 * 3_600_000;

/**
 * Polls until a predicate holds, waiting `schedule(n)` before poll n, and emits the value that
 * satisfied it. Each poll receives an AbortSignal that is aborted when the subscriber leaves
 * while the poll is in flight. Errors from a poll pass through (compose `retryTransient` inside
 * `poll` to retry them). When the next wait would pass `timeoutMs`, it errors at the deadline
 * with a `PollTimeoutError` carrying `exportId`.
 *
 * ```
 * poll results:       P   P   C
 * pollWithBackoff:  --P---P---(C|)     (P: Processing, C: Complete; until = state is Complete)
 * ```
 *
 * @example
 * pollWithBackoff((signal) => api.readExport(id, { signal }), {
 *   until: (job) => job.state === 'Complete' || job.state === 'Failed',
 *   exportId: id,
 * }).subscribe((job) => console.log(job.state));
 */
export function pollWithBackoff<T>(
  poll: (signal: AbortSignal, n: number) => ObservableInput<T>,
  options: PollWithBackoffOptions<T>,
): Observable<T> {
  const schedule = options.schedule ?? growing;
  const timeoutMs = options.timeoutMs ?? SIX_HOURS_MS;
  const scheduler = options.scheduler ?? asyncScheduler;

  return new Observable<T>((subscriber) => {
    const startedAt = scheduler.now();
    const current = new Subscription();
    let n = 0;

    const timeout = () => {
      const elapsedMs = scheduler.now() - startedAt;
      const what = options.exportId === undefined ? 'poll' : `export ${options.exportId}`;
      subscriber.error(
        new PollTimeoutError(
          `${what} not finished after ${Math.round(elapsedMs / 1000)} s; run again to resume`,
          elapsedMs,
          options.exportId,
          { operation: 'poll' },
        ),
      );
    };

    const runPoll = () => {
      const index = n++;
      let answered = false;
      current.add(
        fromAbortable((signal) => poll(signal, index))
          .pipe(take(1))
          .subscribe({
            next: (value) => {
              answered = true;
              options.onPoll?.(value, index);
              if (!options.until(value)) return waitThenPoll();
              subscriber.next(value);
              subscriber.complete();
            },
            error: (error: unknown) => subscriber.error(error),
            complete: () => {
              if (!answered) subscriber.error(new BadResponseError('poll ended without a value'));
            },
          }),
      );
    };

    const waitThenPoll = () => {
      const delayMs = schedule(n);
      const leftMs = startedAt + timeoutMs - scheduler.now();
      if (delayMs > leftMs) {
        current.add(scheduler.schedule(timeout, Math.max(0, leftMs)));
        return;
      }
      current.add(scheduler.schedule(runPoll, delayMs));
    };

    waitThenPoll();
    return current;
  });
}
