import { EMPTY, NEVER, of, Subject, throwError, toArray, firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';

import { checkpoint } from '../../src/operators/checkpoint';
import type { Commit } from '../../src/sinks/types';
import { MemoryStateStore } from '../sources/fakes/MemoryStateStore';
import { WINDOW_A } from './pages';

function commit(rows: number, windowDone = false): Commit {
  return {
    stream: 'visitorActivity',
    object: 'visitorActivity',
    window: WINDOW_A,
    mark: { atMs: 1000 * rows, id: rows },
    windowDone,
    rows,
    files: [`part-${rows}.parquet`],
  };
}

// The store writes are real promises, so these tests await them with bounded timeouts
// instead of TestScheduler frames.
describe('checkpoint', () => {
  it('records nothing while no commit arrives', async () => {
    const store = new MemoryStateStore();
    const subscription = NEVER.pipe(checkpoint(store)).subscribe();

    await new Promise((r) => setTimeout(r, 5));
    subscription.unsubscribe();

    expect(store.writes).toEqual([]);
  });

  it('completes with no commits', async () => {
    const store = new MemoryStateStore();

    const out = await firstValueFrom(EMPTY.pipe(checkpoint(store), toArray()));

    expect(out).toEqual([]);
  });

  it('passes one commit on after it is recorded', async () => {
    const store = new MemoryStateStore();

    const out = await firstValueFrom(of(commit(3)).pipe(checkpoint(store), toArray()));

    expect(out).toEqual([commit(3)]);
    expect(store.progress('visitorActivity', WINDOW_A)).toEqual({
      window: WINDOW_A,
      mark: { atMs: 3000, id: 3 },
      done: false,
    });
  });

  it('records many commits in order, then clears the window export', async () => {
    const store = new MemoryStateStore(3);
    await store.saveExport('visitorActivity', {
      id: 9,
      window: WINDOW_A,
      request: { object: 'visitorActivity', procedure: 'filter_by_created_at', arguments: {} },
      createdAtMs: 0,
    });
    const seen: string[] = [];

    const out = await firstValueFrom(
      of(commit(1), commit(2), commit(3, true)).pipe(checkpoint(store), toArray()),
    );
    seen.push(...store.writes);

    expect(out.map((c) => c.rows)).toEqual([1, 2, 3]);
    expect(seen).toEqual([
      'saveExport visitorActivity 9',
      'commit visitorActivity 1',
      'commit visitorActivity 2',
      'commit visitorActivity 3',
      'clearExport visitorActivity',
    ]);
    expect(store.exportFor('visitorActivity', WINDOW_A)).toBe(undefined);
  });

  it('passes an error through without recording more', async () => {
    const store = new MemoryStateStore();
    const failure = new Error('sink failed');

    await expect(firstValueFrom(throwError(() => failure).pipe(checkpoint(store)))).rejects.toBe(
      failure,
    );
    expect(store.writes).toEqual([]);
  });

  it('drops commits not yet started on early unsubscribe', async () => {
    const store = new MemoryStateStore(5);
    const commits = new Subject<Commit>();
    const out: Commit[] = [];
    const subscription = commits.pipe(checkpoint(store)).subscribe((c) => out.push(c));

    commits.next(commit(1));
    commits.next(commit(2));
    subscription.unsubscribe();
    await new Promise((r) => setTimeout(r, 20));

    expect(out).toEqual([]);
    expect(store.writes).toEqual(['commit visitorActivity 1']);
  });
});
