import { from, NEVER } from 'rxjs';
import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../src/pardot/errors';
import { childQuerySource } from '../../src/sources/childQuerySource';
import { collect, idsOf, range } from './collect';
import { FakePardotApi, type FakeRow } from './fakes/FakePardotApi';

const NOON = Date.parse('2024-05-01T16:00:00Z');

/** `perParent` visits for each visitor id, ids rising. */
function visits(parents: number[], perParent: number): FakeRow[] {
  let id = 1;
  return parents.flatMap((parentId) =>
    range(0, perParent).map(() => ({ id: id++, createdMs: NOON, parentId })),
  );
}

describe('childQuerySource', () => {
  it('sends up to 200 parent ids per POST and emits every child once', async () => {
    // Every other visitor has one visit, so no reply is full.
    const rows = visits(
      range(1, 450).filter((p) => p % 2 === 0),
      1,
    );
    const api = new FakePardotApi(rows);

    const pages = await collect(
      childQuerySource(api, {
        object: 'visit',
        parentIds$: from(range(1, 450)),
        param: 'visitor_ids',
      }),
    );

    expect(idsOf(pages)).toEqual(range(1, 225));
    expect(api.requests.map((r) => String(r.visitor_ids).split(',').length)).toEqual([
      200, 200, 50,
    ]);
    expect(pages.map((p) => p.last)).toEqual([false, false, false, true]);
  });

  it('keeps only children created in the window when asked', async () => {
    const rows = [
      { id: 1, createdMs: NOON - 86_400_000, parentId: 5 },
      { id: 2, createdMs: NOON, parentId: 5 },
      { id: 3, createdMs: NOON + 86_400_000, parentId: 6 },
    ];
    const api = new FakePardotApi(rows);
    const window = { startMs: NOON - 3_600_000, endMs: NOON + 3_600_000 };

    const pages = await collect(
      childQuerySource(api, {
        object: 'visit',
        parentIds$: from([5, 6]),
        param: 'visitor_ids',
        window,
        createdInWindow: true,
      }),
    );

    expect(idsOf(pages)).toEqual([2]);
  });

  it('splits a batch whose reply is full, and reads a single busy parent by offset', async () => {
    const rows = [
      ...visits([1], 250),
      ...visits([2, 3], 1).map((r) => ({ ...r, id: r.id + 1000 })),
    ];
    const api = new FakePardotApi(rows);

    const pages = await collect(
      childQuerySource(api, { object: 'visit', parentIds$: from([1, 2, 3]), param: 'visitor_ids' }),
    );

    expect(idsOf(pages).sort((a, b) => a - b)).toEqual(rows.map((r) => r.id));
    expect(api.requests.map((r) => [r.visitor_ids, r.offset])).toEqual([
      ['1,2,3', undefined],
      ['1,2', undefined],
      ['1', undefined],
      ['1', 200],
      ['2', undefined],
      ['3', undefined],
    ]);
  });

  it('emits only the last empty page when there are no parents', async () => {
    const api = new FakePardotApi([]);

    const pages = await collect(
      childQuerySource(api, { object: 'visit', parentIds$: from([]), param: 'visitor_ids' }),
    );

    expect(pages).toEqual([
      {
        stream: 'visit',
        object: 'visit',
        window: { startMs: 0, endMs: 0 },
        rows: [],
        mark: null,
        last: true,
      },
    ]);
    expect(api.calls).toBe(0);
  });

  it('rejects a parent filter the object does not take', () => {
    const api = new FakePardotApi([]);

    expect(() =>
      childQuerySource(api, { object: 'visit', parentIds$: NEVER, param: 'list_ids' }),
    ).toThrow(ConfigError);
  });
});
