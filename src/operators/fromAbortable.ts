import { from, Observable, type ObservableInput } from 'rxjs';

/**
 * Wraps a call that takes an AbortSignal into a cold Observable. Unsubscribing while the call
 * is still in flight aborts the signal, so an HTTP request or timer behind it is cancelled.
 * Unsubscribing after it settled (produced a value, failed or completed) aborts nothing, so a
 * reply already handed on, such as a download stream, is never cut by a subscriber that took
 * what it needed.
 *
 * @example
 * fromAbortable((signal) => api.readExport(42, { signal })).subscribe(console.log);
 */
export function fromAbortable<T>(call: (signal: AbortSignal) => ObservableInput<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    let settled = false;

    const inner = from(call(controller.signal)).subscribe({
      next: (value) => {
        settled = true;
        subscriber.next(value);
      },
      error: (error: unknown) => {
        settled = true;
        subscriber.error(error);
      },
      complete: () => {
        settled = true;
        subscriber.complete();
      },
    });

    return () => {
      inner.unsubscribe();
      if (!settled) controller.abort();
    };
  });
}
