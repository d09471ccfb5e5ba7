import { describe, expect, it } from 'vitest';

import { Governor } from '../../src/pardot/Governor';

describe('Governor', () => {
  it('grants at most the limit and queues the rest', async () => {
    const governor = new Governor(2);

    const a = await governor.acquire();
    const b = await governor.acquire();
    const c = governor.acquire();

    expect([governor.inFlight, governor.queued]).toEqual([2, 1]);
    a();
    await c;
    expect([governor.inFlight, governor.queued]).toEqual([2, 0]);
    b();
    expect([governor.inFlight, governor.queued]).toEqual([1, 0]);
  });

  it('grants waiters in FIFO order', async () => {
    const governor = new Governor(1);
    const order: number[] = [];
    const first = await governor.acquire();

    const waiters = [1, 2, 3].map((n) =>
      governor.acquire().then((release) => {
        order.push(n);
        release();
      }),
    );
    first();
    await Promise.all(waiters);

    expect(order).toEqual([1, 2, 3]);
    expect(governor.inFlight).toBe(0);
  });

  it('ignores a second release of the same slot', async () => {
    const governor = new Governor(1);
    const release = await governor.acquire();

    release();
    release();

    expect(governor.inFlight).toBe(0);
  });

  it('drops a queued waiter whose signal aborts', async () => {
    const governor = new Governor(1);
    const held = await governor.acquire();
    const controller = new AbortController();
    const waiting = governor.acquire(controller.signal);

    controller.abort(new Error('stop'));

    await expect(waiting).rejects.toThrow('stop');
    expect(governor.queued).toBe(0);
    held();
    expect(governor.inFlight).toBe(0);
  });

  it('never exceeds the limit under a burst', async () => {
    const governor = new Governor(5);
    let active = 0;
    let peak = 0;

    await Promise.all(
      Array.from({ length: 50 }, () =>
        governor.run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((r) => setImmediate(r));
          active -= 1;
        }),
      ),
    );

    expect(peak).toBe(5);
  });
});
