import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';

import { dedupeById } from '../../src/operators/dedupeById';
import type { Page } from '../../src/sources/types';
import { page, WINDOW_B } from './pages';

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('dedupeById', () => {
  it('never emits while the source never emits', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Page>('-').pipe(dedupeById()), '^ 20ms !').toBe('-');
    });
  });

  it('completes with an empty source', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Page>('|').pipe(dedupeById())).toBe('|');
    });
  });

  it('passes one page unchanged', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: page([1, 2]) };

      expectObservable(cold('-a|', values).pipe(dedupeById())).toBe('-a|', values);
    });
  });

  it('drops repeated ids across many pages and keeps emptied pages', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c|', {
        a: page([1, 2]),
        b: page([2, 3]),
        c: page([3], undefined, true),
      });

      const expected = {
        a: page([1, 2]),
        b: { ...page([2, 3]), rows: [{ id: 3 }] },
        c: { ...page([3], undefined, true), rows: [] },
      };
      expectObservable(source.pipe(dedupeById())).toBe('-a-b-c|', expected);
    });
  });

  it('forgets ids when the window changes', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: page([1, 2]), b: page([1, 2], WINDOW_B) };

      expectObservable(cold('-a-b|', values).pipe(dedupeById())).toBe('-a-b|', values);
    });
  });

  it('forgets the oldest ids beyond maxIds', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b|', { a: page([1, 2, 3]), b: page([1, 3]) });

      const expected = { a: page([1, 2, 3]), b: { ...page([1, 3]), rows: [{ id: 1 }] } };
      expectObservable(source.pipe(dedupeById({ maxIds: 2 }))).toBe('-a-b|', expected);
    });
  });

  it('passes an error through', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const failure = new Error('boom');

      expectObservable(cold('-a#', { a: page([1]) }, failure).pipe(dedupeById())).toBe(
        '-a#',
        { a: page([1]) },
        failure,
      );
    });
  });

  it('unsubscribes from the source on early unsubscribe', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a---b|', { a: page([1]), b: page([2]) });

      expectObservable(source.pipe(dedupeById()), '^--!').toBe('-a-', { a: page([1]) });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });
});
