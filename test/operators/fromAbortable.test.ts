import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';

import { fromAbortable } from '../../src/operators/fromAbortable';

describe('fromAbortable', () => {
  it('emits the resolved value and leaves the signal alone', async () => {
    let seen: AbortSignal | undefined;

    const value = await firstValueFrom(
      fromAbortable((signal) => {
        seen = signal;
        return Promise.resolve(7);
      }),
    );

    expect([value, seen?.aborted]).toEqual([7, false]);
  });

  it('aborts the signal when unsubscribed while the call is in flight', () => {
    let seen: AbortSignal | undefined;
    const subscription = fromAbortable((signal) => {
      seen = signal;
      return new Promise<number>(() => undefined);
    }).subscribe();

    subscription.unsubscribe();

    expect(seen?.aborted).toBe(true);
  });

  it('passes a rejection through as an error', async () => {
    const failure = new Error('reset');

    const result = firstValueFrom(fromAbortable(() => Promise.reject(failure)));

    await expect(result).rejects.toBe(failure);
  });
});
