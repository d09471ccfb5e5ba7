/**
 * Back-pressure between a source and its sink. RxJS pushes: a source that reads faster than
 * its sink writes (an export file downloading from a fast link) would pile pages up inside
 * the sink's concatMap. A PageFlow lets at most `maxPending` pages of a stream be emitted and
 * not yet written; the source waits for `ready()` before emitting, the sink calls `written()`
 * after each page. Memory then stays flat however many rows a window holds.
 *
 * @example
 * const flow = new PageFlow();
 * exportSource(api, { object: 'visitorActivity', window, flow })
 *   .pipe(parquetSink({ out, onEvent: (e) => e.type === 'page-written' && flow.written() }))
 */
export class PageFlow {
  private pending = 0;
  private waiters: Array<() => void> = [];

  /** @param maxPending pages emitted and not yet written before sources wait. Default 2. */
  constructor(readonly maxPending = 2) {}

  /** Resolves once another page may be emitted, and counts it as emitted. */
  async ready(signal?: AbortSignal): Promise<void> {
    while (this.pending >= this.maxPending && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
    this.pending += 1;
  }

  /** A page has been written by the sink. */
  written(): void {
    this.pending = Math.max(0, this.pending - 1);
    this.waiters.shift()?.();
  }

  /** Pages emitted and not yet written. */
  get inFlight(): number {
    return this.pending;
  }
}
