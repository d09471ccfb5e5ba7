import { describe, expect, it } from 'vitest';

import { PagingStalledError } from '../../src/pardot/errors';
import { naiveHighWaterMark } from './fakes/naiveHighWaterMark';
import { querySource } from '../../src/sources/querySource';
import type { Mark, TimeWindow } from '../../src/sources/types';
import { collect, idsOf, range } from './collect';
import { burst, FakePardotApi, type FakeRow } from './fakes/FakePardotApi';
import { MemoryStateStore } from './fakes/MemoryStateStore';

const SECOND = 1000;
const zone = 'America/New_York';
const DAY_START = Date.parse('2024-05-01T04:00:00Z'); // local midnight, EDT
const WINDOW: TimeWindow = { startMs: DAY_START, endMs: DAY_START + 86_400_000 };
const NOON = DAY_START + 12 * 3_600_000;

/** 5 rows before a burst of `count` rows at noon, 5 after; ids rise with time. */
function burstDay(count: number): FakeRow[] {
  return [
    ...range(1, 5).map((id) => ({ id, createdMs: NOON - (6 - id) * SECOND })),
    ...burst(NOON, count, 10),
    ...range(10 + count, 5).map((id, i) => ({ id, createdMs: NOON + (i + 1) * SECOND })),
  ];
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

describe('querySource', () => {
  for (const inclusive of [false, true]) {
    const reading = inclusive ? 'inclusive' : 'strict';

    for (const count of [450, 1200]) {
      it(`emits ${count} rows sharing a second exactly once (${reading})`, async () => {
        const rows = burstDay(count);
        const api = new FakePardotApi(rows, zone);
        api.inclusive = inclusive;

        const pages = await collect(
          querySource(api, { object: 'visitorActivity', window: WINDOW }),
        );

        const ids = idsOf(pages);
        expect(ids.length).toBe(rows.length);
        expect(sorted(ids)).toEqual(rows.map((r) => r.id));
        expect(pages.map((p) => p.last)).toEqual(pages.map((_, i) => i === pages.length - 1));
        expect(pages[pages.length - 1].mark).toEqual({ atMs: NOON + 5 * SECOND, id: 14 + count });
        expect(api.requests.filter((r) => r.offset !== undefined)).toEqual([]);
      });
    }

    it(`resumes from any page's mark, no row lost or repeated (${reading})`, async () => {
      const rows = burstDay(450);
      const api = new FakePardotApi(rows, zone);
      api.inclusive = inclusive;
      const pages = await collect(querySource(api, { object: 'visitorActivity', window: WINDOW }));

      for (let k = 0; k < pages.length; k++) {
        const before = idsOf(pages.slice(0, k + 1));
        const after = idsOf(
          await collect(
            querySource(api, {
              object: 'visitorActivity',
              window: WINDOW,
              resumeFrom: pages[k].mark,
            }),
          ),
        );

        expect(sorted([...before, ...after])).toEqual(rows.map((r) => r.id));
      }
    });

    it(`keeps to the window [start, end) under ${reading} filters`, async () => {
      const edges: FakeRow[] = [
        { id: 1, createdMs: WINDOW.startMs - SECOND },
        { id: 2, createdMs: WINDOW.startMs },
        { id: 3, createdMs: WINDOW.endMs - SECOND },
        { id: 4, createdMs: WINDOW.endMs },
      ];
      const api = new FakePardotApi(edges, zone);
      api.inclusive = inclusive;

      const pages = await collect(querySource(api, { object: 'visitorActivity', window: WINDOW }));

      expect(idsOf(pages)).toEqual([2, 3]);
    });
  }

  it('shows the guide recipe losing boundary-second rows that ours keeps', async () => {
    const rows = burstDay(450);
    const api = new FakePardotApi(rows, zone);

    const naive = idsOf(
      await collect(naiveHighWaterMark(api, { object: 'visitorActivity', window: WINDOW })),
    );
    const ours = idsOf(
      await collect(querySource(api, { object: 'visitorActivity', window: WINDOW })),
    );

    // The first page ends inside the noon burst; the next created_after skips the rest of it.
    expect(naive.length).toBe(205);
    expect(rows.length - new Set(naive).size).toBe(255);
    expect(sorted(ours)).toEqual(rows.map((r) => r.id));
  });

  it('sends naive local bounds (start - 1 s, end), sorted on the cursor', async () => {
    const api = new FakePardotApi([{ id: 1, createdMs: NOON }], zone);

    await collect(querySource(api, { object: 'visitorActivity', window: WINDOW }));

    expect(api.requests).toEqual([
      {
        created_after: '2024-04-30 23:59:59',
        created_before: '2024-05-02 00:00:00',
        sort_by: 'created_at',
        sort_order: 'ascending',
        limit: 200,
      },
    ]);
  });

  it('emits one empty last page for an empty window', async () => {
    const api = new FakePardotApi([], zone);

    const pages = await collect(querySource(api, { object: 'visitorActivity', window: WINDOW }));

    expect(pages).toEqual([
      {
        stream: 'visitorActivity',
        object: 'visitorActivity',
        window: WINDOW,
        rows: [],
        mark: null,
        last: true,
      },
    ]);
  });

  it('pages an unsortable cursor (listMembership updated_at) by id', async () => {
    const rows = range(1, 450).map((id) => ({
      id,
      createdMs: NOON - 1e6,
      updatedMs: NOON + (id % 7) * SECOND,
    }));
    const api = new FakePardotApi(rows, zone);

    const pages = await collect(querySource(api, { object: 'listMembership', window: WINDOW }));

    expect(idsOf(pages)).toEqual(range(1, 450));
    expect(api.requests.map((r) => [r.sort_by, r.id_greater_than, r.updated_after])).toEqual([
      ['id', undefined, '2024-04-30 23:59:59'],
      ['id', 200, '2024-04-30 23:59:59'],
      ['id', 400, '2024-04-30 23:59:59'],
    ]);
    expect(pages[pages.length - 1].mark).toEqual({ atMs: null, id: 450 });
  });

  it('pages id-cursored email clicks by id within the window, without sort_by', async () => {
    const rows = range(1, 250).map((id) => ({ id, createdMs: NOON }));
    const api = new FakePardotApi(rows, zone);

    const pages = await collect(querySource(api, { object: 'emailClick', window: WINDOW }));

    expect(idsOf(pages)).toEqual(range(1, 250));
    expect(api.requests.map((r) => [r.sort_by, r.id_greater_than])).toEqual([
      [undefined, undefined],
      [undefined, 200],
    ]);
  });

  it('pages the autumn DST day by id, so rows of the repeated hour come out once', async () => {
    const day = {
      startMs: Date.parse('2024-11-03T04:00:00Z'),
      endMs: Date.parse('2024-11-04T05:00:00Z'),
    };
    // 01:30 EDT and 01:30 EST render the same naive time; ids rise with real time.
    const rows = [
      ...burst(Date.parse('2024-11-03T05:30:00Z'), 150, 1),
      ...burst(Date.parse('2024-11-03T06:30:00Z'), 150, 200),
    ];
    const api = new FakePardotApi(rows, zone);

    const pages = await collect(querySource(api, { object: 'visitorActivity', window: day }));

    expect(sorted(idsOf(pages))).toEqual(rows.map((r) => r.id));
    expect(api.requests[0].sort_by).toBe('id');
  });

  it('reads late rows again within lookBackMs and skips the ones already emitted', async () => {
    const rows: FakeRow[] = [...range(1, 300).map((id) => ({ id, createdMs: NOON + id * SECOND }))];
    rows.push({ id: 1000, createdMs: NOON + 50 * SECOND, visibleFromCall: 2 });
    const withLookBack = new FakePardotApi(rows, zone);
    const without = new FakePardotApi(rows, zone);

    const caught = idsOf(
      await collect(
        querySource(withLookBack, {
          object: 'visitorActivity',
          window: WINDOW,
          lookBackMs: 3_600_000,
        }),
      ),
    );
    const missed = idsOf(
      await collect(querySource(without, { object: 'visitorActivity', window: WINDOW })),
    );

    expect(sorted(caught)).toEqual([...range(1, 300), 1000]);
    expect(missed.includes(1000)).toBe(false);
  });

  it('resumes from the store and emits nothing for a window recorded as done', async () => {
    const rows = range(1, 10).map((id) => ({ id, createdMs: NOON + id * SECOND }));
    const api = new FakePardotApi(rows, zone);
    const store = new MemoryStateStore();
    const mark: Mark = { atMs: NOON + 4 * SECOND, id: 4 };
    store.setProgress('va', WINDOW, mark);

    const resumed = await collect(
      querySource(api, { object: 'visitorActivity', window: WINDOW, store, stream: 'va' }),
    );
    store.setProgress('va', WINDOW, mark, true);
    const done = await collect(
      querySource(api, { object: 'visitorActivity', window: WINDOW, store, stream: 'va' }),
    );

    expect(idsOf(resumed)).toEqual(range(5, 6));
    expect(done).toEqual([]);
  });

  it('aborts the request in flight on unsubscribe', async () => {
    const api = new FakePardotApi([], zone);
    const signals: AbortSignal[] = [];
    api.query = (_object, _params, options) => {
      signals.push(options!.signal!);
      return new Promise(() => undefined);
    };

    const subscription = querySource(api, {
      object: 'visitorActivity',
      window: WINDOW,
    }).subscribe();
    await new Promise((r) => setTimeout(r, 1));
    subscription.unsubscribe();

    expect(signals.map((s) => s.aborted)).toEqual([true]);
  });

  describe('on API v5', () => {
    it('restarts a chain cut by a small cap from the mark', async () => {
      const rows = burstDay(450);
      const api = new FakePardotApi(rows, zone);
      api.version = 5;
      api.v5ChainCap = 150;

      const pages = await collect(
        querySource(api, { object: 'visitorActivity', window: WINDOW, limit: 100 }),
      );

      expect(sorted(idsOf(pages))).toEqual(rows.map((r) => r.id));
      expect(api.requests.filter((r) => r.orderBy !== undefined).map((r) => r.orderBy)).toEqual([
        'createdAt ASC,id ASC',
        'id ASC',
        'id ASC',
        'createdAt ASC,id ASC',
      ]);
      expect(api.requests[0]).toEqual({
        fields: expect.any(String),
        limit: 100,
        orderBy: 'createdAt ASC,id ASC',
        createdAtAfterOrEqualTo: '2024-05-01T04:00:00+00:00',
        createdAtBefore: '2024-05-02T04:00:00+00:00',
      });
    });

    it('fails instead of looping when a next-page link repeats', async () => {
      const api = new FakePardotApi(burstDay(450), zone);
      api.version = 5;
      api.repeatTokens = true;

      await expect(
        collect(querySource(api, { object: 'visitorActivity', window: WINDOW, limit: 100 })),
      ).rejects.toBeInstanceOf(PagingStalledError);
    });
  });
});
