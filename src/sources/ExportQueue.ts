import { Observable, type Subscription } from 'rxjs';

/**
 * An account-wide queue for export jobs. Pardot runs one export at a time per account, oldest
 * first, so creating ten and polling them all every minute only spends the daily quota: the
 * queue lets `concurrency` jobs (create + poll) run and starts the next when one finishes,
 * errors or is unsubscribed. Downloads happen after the slot is released.
 *
 * @example
 * const queue = new ExportQueue();
 * windows.pipe(mergeMap((window) => exportSource(api, { object, window, queue }), 4));
 */
export class ExportQueue {
  private running = 0;
  private readonly pending: Array<() => void> = [];

  /** @param concurrency jobs allowed at once per account. Default 1. */
  constructor(readonly concurrency = 1) {}

  /** Jobs running now. */
  get active(): number {
    return this.running;
  }

  /** Jobs waiting for a slot. */
  get waiting(): number {
    return this.pending.length;
  }

  /** Subscribes to `job` once a slot is free; the slot is held until it ends. */
  run<T>(job: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let inner: Subscription | undefined;
      let started = false;
      let released = false;
      const release = () => {
        if (released || !started) return;
        released = true;
        this.running -= 1;
        this.pending.shift()?.();
      };
      const start = () => {
        started = true;
        this.running += 1;
        inner = job.subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            release();
            subscriber.error(error);
          },
          complete: () => {
            release();
            subscriber.complete();
          },
        });
      };

      if (this.running < this.concurrency) start();
      else this.pending.push(start);

      return () => {
        const index = this.pending.indexOf(start);
        if (index >= 0) this.pending.splice(index, 1);
        inner?.unsubscribe();
        release();
      };
    });
  }
}

/** The queue shared by export sources that are not given one. */
export const defaultExportQueue = new ExportQueue();
