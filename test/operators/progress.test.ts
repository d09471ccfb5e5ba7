import { EventEmitter } from 'node:events';

import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';

import { progress, type ProgressEvent } from '../../src/operators/progress';
import type { Page } from '../../src/sources/types';
import { page, WINDOW_A } from './pages';

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('progress', () => {
  it('reports nothing while the source never emits', () => {
    const events: ProgressEvent[] = [];
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Page>('-').pipe(progress((e) => events.push(e))), '^ 9ms !').toBe('-');
    });

    expect(events).toEqual([]);
  });

  it('reports done with zero counts for an empty source', () => {
    const events: ProgressEvent[] = [];
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Page>('|').pipe(progress((e) => events.push(e)))).toBe('|');
    });

    expect(events).toEqual([
      {
        type: 'done',
        stream: '',
        object: '',
        window: null,
        pageRows: 0,
        pages: 0,
        rows: 0,
        windowsDone: 0,
      },
    ]);
  });

  it('reports one page and passes it unchanged', () => {
    const events: ProgressEvent[] = [];
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: page([1, 2], WINDOW_A, true) };

      expectObservable(cold('-a|', values).pipe(progress((e) => events.push(e)))).toBe(
        '-a|',
        values,
      );
    });

    expect(events[0]).toEqual({
      type: 'page',
      stream: 'prospect',
      object: 'prospect',
      window: WINDOW_A,
      pageRows: 2,
      pages: 1,
      rows: 2,
      windowsDone: 1,
    });
  });

  it('sends running totals of many pages to an EventEmitter', () => {
    const emitter = new EventEmitter();
    const totals: number[][] = [];
    emitter.on('progress', (e: ProgressEvent) => totals.push([e.pages, e.rows, e.windowsDone]));

    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: page([1, 2]), b: page([3], WINDOW_A, true), c: page([]) };
      expectObservable(cold('-a-b-c|', values).pipe(progress(emitter))).toBe('-a-b-c|', values);
    });

    expect(totals).toEqual([
      [1, 2, 0],
      [2, 3, 1],
      [3, 3, 1],
      [3, 3, 1],
    ]);
  });

  it('passes an error through without a done event', () => {
    const events: ProgressEvent[] = [];
    testScheduler().run(({ cold, expectObservable }) => {
      const failure = new Error('boom');

      expectObservable(
        cold<Page>('-#', undefined, failure).pipe(progress((e) => events.push(e))),
      ).toBe('-#', undefined, failure);
    });

    expect(events).toEqual([]);
  });

  it('unsubscribes from the source on early unsubscribe', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a--b|', { a: page([1]), b: page([2]) });

      expectObservable(source.pipe(progress(() => undefined)), '^-!').toBe('-a', { a: page([1]) });
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });
});
