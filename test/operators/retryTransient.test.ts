import { defer, type MonoTypeOperatorFunction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';

import { retryTransient, transientDelayMs } from '../../src/operators/retryTransient';
import { BadRequestError, RetriableError, RetriesExhaustedError } from '../../src/pardot/errors';

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const transient = new RetriableError('HTTP 503', { object: 'prospect', status: 503 });
// random() = 0.5 gives 3/4 of the capped exponential: 3, 6, 12 ms for a 4 ms base.
const options = { baseDelayMs: 4, maxDelayMs: 16, random: () => 0.5 };

/** Runs an always-failing source through the operator; returns the error and its frame. */
function failureOf(operator: MonoTypeOperatorFunction<string>) {
  const scheduler = testScheduler();
  let caught: RetriesExhaustedError | undefined;
  let frame = -1;
  scheduler.run(({ cold }) => {
    cold<string>('#', undefined, transient)
      .pipe(operator)
      .subscribe({
        error: (e: RetriesExhaustedError) => {
          caught = e;
          frame = scheduler.now();
        },
      });
  });
  if (!caught) throw new Error('expected an error');
  return Object.assign(caught, { frame });
}

describe('retryTransient', () => {
  it('computes equal-jitter delays capped at maxDelayMs', () => {
    const delays = [1, 2, 3, 4, 5].map((a) => transientDelayMs(a, options));

    expect(delays).toEqual([3, 6, 12, 12, 12]);
  });

  it('never emits while the source never emits', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-');

      expectObservable(source.pipe(retryTransient(options)), '^ 50ms !').toBe('-');
    });
  });

  it('completes with an empty source', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('|').pipe(retryTransient(options))).toBe('|');
    });
  });

  it('passes one value through', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|').pipe(retryTransient(options))).toBe('-a|');
    });
  });

  it('re-subscribes after retriable errors with jittered waits and then emits many values', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      let tries = 0;
      const source = defer(() => (tries++ < 2 ? cold('-#', undefined, transient) : cold('-a-b|')));

      const result = source.pipe(retryTransient({ ...options, count: 3 }));

      expectObservable(result).toBe('12ms a-b|');
    });
  });

  it('gives up after count retries with RetriesExhaustedError carrying the cause', () => {
    const error = failureOf(retryTransient({ ...options, count: 2 }));

    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.message).toBe('gave up after 3 tries in 0 s: HTTP 503');
    expect([error.cause, error.attempt, error.object, error.status]).toEqual([
      transient,
      3,
      'prospect',
      503,
    ]);
    expect(error.frame).toBe(9);
  });

  it('never retries a fatal error', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const fatal = new BadRequestError('invalid sort_by');
      const failing = cold('--#', undefined, fatal);

      expectObservable(failing.pipe(retryTransient(options))).toBe('--#', undefined, fatal);
      expectSubscriptions(failing.subscriptions).toBe('^-!');
    });
  });

  it('stops retrying when the next wait would pass maxElapsedMs', () => {
    const error = failureOf(retryTransient({ ...options, count: 10, maxElapsedMs: 10 }));

    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect([error.attempt, error.frame]).toEqual([3, 9]);
  });

  it('cancels the pending wait on early unsubscribe', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('-#', undefined, transient);

      expectObservable(failing.pipe(retryTransient(options)), '^ 3ms !').toBe('-');
      expectSubscriptions(failing.subscriptions).toBe('^!');
    });
  });
});
