import { EMPTY, NEVER, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';

import { adaptive, fixed, growing, type PollSchedule } from '../../src/operators/pollSchedules';
import { pollWithBackoff } from '../../src/operators/pollWithBackoff';
import { BadResponseError, PollTimeoutError } from '../../src/pardot/errors';

const MINUTE = 60_000;

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** Polls an export that completes `durationMs` after the start; returns the poll count. */
function pollsFor(schedule: PollSchedule, durationMs: number): number {
  const scheduler = testScheduler();
  let polls = 0;
  let last = '';
  scheduler.run(() => {
    pollWithBackoff(
      () => {
        polls += 1;
        return of(scheduler.now() >= durationMs ? 'Complete' : 'Processing');
      },
      { until: (s) => s === 'Complete', schedule, scheduler, timeoutMs: 10 * 3_600_000 },
    ).subscribe((state) => (last = state));
  });
  expect(last).toBe('Complete');
  return polls;
}

/** The number of polls a schedule implies: the first k whose summed delays reach durationMs. */
function impliedPolls(schedule: PollSchedule, durationMs: number): number {
  let elapsed = 0;
  let k = 0;
  while (elapsed < durationMs) elapsed += schedule(k++);
  return k;
}

describe('pollWithBackoff', () => {
  it('never emits while the poll never answers', () => {
    testScheduler().run(({ expectObservable }) => {
      const result = pollWithBackoff(() => NEVER, { until: () => true, schedule: fixed(5) });

      expectObservable(result, '^ 100ms !').toBe('-');
    });
  });

  it('errors when a poll completes without a value', () => {
    testScheduler().run(({ expectObservable }) => {
      const result = pollWithBackoff(() => EMPTY, { until: () => true, schedule: fixed(5) });

      expectObservable(result).toBe(
        '5ms #',
        undefined,
        new BadResponseError('poll ended without a value'),
      );
    });
  });

  it('emits the first value when it already satisfies the predicate', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const answer = cold('--(c|)', { c: 'Complete' });

      const result = pollWithBackoff(() => answer, {
        until: (s) => s === 'Complete',
        schedule: fixed(3),
      });

      expectObservable(result).toBe('-----(c|)', { c: 'Complete' });
      expectSubscriptions(answer.subscriptions).toBe('---^-!');
    });
  });

  it('waits the schedule between many polls and emits the satisfying value', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const states = ['Waiting', 'Processing', 'Complete'];
      const seen: number[] = [];

      const result = pollWithBackoff((_signal, n) => of(states[n]), {
        until: (s) => s === 'Complete',
        schedule: (n) => (n + 1) * 10,
        onPoll: (_value, n) => seen.push(n),
      });

      expectObservable(result).toBe('60ms (c|)', { c: 'Complete' });
      scheduler.flush();
      expect(seen).toEqual([0, 1, 2]);
    });
  });

  it('passes a poll error through', () => {
    testScheduler().run(({ expectObservable }) => {
      const failure = new BadResponseError('bad body');

      const result = pollWithBackoff(() => throwError(() => failure), {
        until: () => true,
        schedule: fixed(4),
      });

      expectObservable(result).toBe('4ms #', undefined, failure);
    });
  });

  it('aborts the in-flight poll and cancels its timer on early unsubscribe', () => {
    const signals: AbortSignal[] = [];
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const slow = cold('----------a');

      const result = pollWithBackoff(
        (signal) => {
          signals.push(signal);
          return slow;
        },
        { until: () => true, schedule: fixed(2) },
      );

      expectObservable(result, '^ 5ms !').toBe('-');
      expectSubscriptions(slow.subscriptions).toBe('--^---!');
    });

    expect(signals.map((s) => s.aborted)).toEqual([true]);
  });

  it('errors at the deadline with the export id', () => {
    const scheduler = testScheduler();
    let error: unknown;

    scheduler.run(() => {
      pollWithBackoff(() => of('Processing'), {
        until: () => false,
        schedule: fixed(4 * MINUTE),
        timeoutMs: 10 * MINUTE,
        exportId: 77,
        scheduler,
      }).subscribe({ error: (e: unknown) => (error = e) });
    });

    expect(error).toBeInstanceOf(PollTimeoutError);
    expect((error as PollTimeoutError).exportId).toBe(77);
    expect((error as PollTimeoutError).elapsedMs).toBe(10 * MINUTE);
  });

  it('polls a 15-minute export as often as each schedule implies', () => {
    const duration = 15 * MINUTE;
    const adaptiveSchedule = adaptive([10 * MINUTE, 12 * MINUTE, 14 * MINUTE]);

    const counts = [growing, fixed(30_000), adaptiveSchedule].map((s) => pollsFor(s, duration));

    expect(impliedPolls(growing, duration)).toBe(6);
    expect(impliedPolls(fixed(30_000), duration)).toBe(30);
    expect(impliedPolls(adaptiveSchedule, duration)).toBe(1 + Math.ceil((15 - 12) / 1.2));
    expect(counts).toEqual([6, 30, 4]);
  });
});
