import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';

import type { SandboxClock } from '../../src/sandbox';

/**
 * A scheduler on the sandbox clock: a wait of N ms moves the sandbox clock N ms forward and
 * runs the work on the next turn of the real event loop. Export processing, poll schedules and
 * durations then follow virtual time, and a 15-minute export takes milliseconds.
 */
export class SandboxScheduler implements SchedulerLike {
  constructor(private readonly clock: SandboxClock) {}

  now(): number {
    return this.clock.now();
  }

  schedule<T>(
    work: (this: SchedulerAction<T>, state: T) => void,
    delay = 0,
    state?: T,
  ): Subscription {
    const clock = this.clock;
    return asyncScheduler.schedule<T>(
      function (this: SchedulerAction<T>, s?: T) {
        clock.advance(delay);
        work.call(this, s as T);
      },
      0,
      state,
    );
  }
}
