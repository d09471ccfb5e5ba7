import { firstValueFrom, merge, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';

import { fixed } from '../../src/operators/pollSchedules';
import { ExportFailedError } from '../../src/pardot/errors';
import { ExportQueue } from '../../src/sources/ExportQueue';
import { exportSource, type ExportSourceOptions } from '../../src/sources/exportSource';
import type { TimeWindow } from '../../src/sources/types';
import { collect, idsOf, range } from './collect';
import { FakePardotApi, type FakeRow } from './fakes/FakePardotApi';
import { MemoryStateStore } from './fakes/MemoryStateStore';

const SECOND = 1000;
const zone = 'America/New_York';
const DAY_START = Date.parse('2024-05-01T04:00:00Z');
const WINDOW: TimeWindow = { startMs: DAY_START, endMs: DAY_START + 86_400_000 };

function rows(count: number): FakeRow[] {
  return range(1, count).map((id) => ({ id, createdMs: DAY_START + (id % 80_000) * SECOND }));
}

function options(extra: Partial<ExportSourceOptions> = {}): ExportSourceOptions {
  // 1 ms between polls keeps these tests fast; poll counts are tested on a virtual clock.
  return {
    object: 'visitorActivity',
    window: WINDOW,
    schedule: fixed(1),
    queue: new ExportQueue(),
    ...extra,
  };
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

describe('exportSource', () => {
  for (const [count, files] of [
    [0, 0],
    [700, 1],
    [2500, 3],
  ]) {
    it(`emits every row of a ${files}-file export once, the last page flagged`, async () => {
      const api = new FakePardotApi(rows(count), zone);

      const pages = await collect(exportSource(api, options({ pageSize: 600 })));

      expect(api.downloads.length).toBe(files);
      expect(sorted(idsOf(pages))).toEqual(range(1, count));
      expect(pages.map((p) => p.last)).toEqual(pages.map((_, i) => i === pages.length - 1));
      expect(pages.map((p) => p.mark)).toEqual(pages.map(() => null));
      expect(pages.map((p) => p.rows.length)).toEqual(
        count === 0 ? [0] : count === 700 ? [600, 100] : [600, 600, 600, 600, 100],
      );
    });
  }

  it('fetches a download cut off mid-body again and skips the rows already taken', async () => {
    const api = new FakePardotApi(rows(2500), zone);
    api.cutDownloads = 2;

    const retry = { baseDelayMs: 1 };
    const pages = await collect(
      exportSource(api, options({ pageSize: 600, downloadRetry: retry })),
    );

    expect(api.downloads.length).toBe(5);
    expect(sorted(idsOf(pages))).toEqual(range(1, 2500));
    expect(pages.map((p) => p.rows.length)).toEqual([600, 600, 600, 600, 100]);
  });

  it('types CSV rows, keeping quotes, commas and newlines in text', async () => {
    const api = new FakePardotApi(rows(1), zone);

    const pages = await collect(exportSource(api, options()));

    expect(pages[0].rows).toEqual([
      { id: 1, created_at: new Date(DAY_START + SECOND), type_name: 'a, "quoted"\nname' },
    ]);
  });

  it('creates the export with strict local bounds and saves it right after create', async () => {
    const api = new FakePardotApi(rows(3), zone);
    const store = new MemoryStateStore();

    await collect(exportSource(api, options({ store })));

    expect([...api.exports.values()].map((e) => e.request)).toEqual([
      {
        object: 'visitorActivity',
        procedure: 'filter_by_created_at',
        arguments: { created_after: '2024-04-30 23:59:59', created_before: '2024-05-02 00:00:00' },
      },
    ]);
    expect(store.writes).toEqual(['saveExport visitorActivity 100']);
    expect(store.exportDurations('visitorActivity').length).toBe(1);
  });

  it('creates a failed export again and emits its rows', async () => {
    const api = new FakePardotApi(rows(5), zone);
    api.exportPlan.failures = 1;

    const pages = await collect(exportSource(api, options()));

    expect(idsOf(pages).length).toBe(5);
    expect([...api.exports.values()].map((e) => e.job.state)).toEqual(['Failed', 'Complete']);
  });

  it('gives up with ExportFailedError after maxRecreates failures', async () => {
    const api = new FakePardotApi(rows(5), zone);
    api.exportPlan.failures = 10;

    const failure = collect(exportSource(api, options({ maxRecreates: 2 })));

    await expect(failure).rejects.toBeInstanceOf(ExportFailedError);
    expect(api.exports.size).toBe(3);
  });

  it('resumes polling the saved export after a restart instead of creating another', async () => {
    const api = new FakePardotApi(rows(50), zone);
    api.exportPlan.readsBeforeDone = 1000;
    const store = new MemoryStateStore();
    const first = exportSource(api, options({ store })).subscribe();
    await waitFor(() => (api.exports.get(100)?.reads ?? 0) >= 2);
    first.unsubscribe();
    const readsBefore = api.exports.get(100)!.reads;

    api.exportPlan.readsBeforeDone = readsBefore + 1;
    const pages = await collect(exportSource(api, options({ store })));

    expect(api.exports.size).toBe(1);
    expect(sorted(idsOf(pages))).toEqual(range(1, 50));
    expect(store.exportFor('visitorActivity', WINDOW)?.id).toBe(100);
  });

  it('creates the export again from the saved request when the saved one expired', async () => {
    const api = new FakePardotApi(rows(20), zone);
    const store = new MemoryStateStore();
    await collect(exportSource(api, options({ store })));
    api.expire(100);

    const pages = await collect(exportSource(api, options({ store })));

    expect(idsOf(pages).length).toBe(20);
    expect([...api.exports.keys()]).toEqual([100, 101]);
    expect(store.exportFor('visitorActivity', WINDOW)?.id).toBe(101);
  });

  for (const code of [178, 16]) {
    it(`creates the export again when the saved id is refused with code ${code}`, async () => {
      const api = new FakePardotApi(rows(8), zone);
      api.unknownExportCode = code;
      const store = new MemoryStateStore();
      const request = {
        object: 'visitorActivity',
        procedure: 'filter_by_created_at',
        arguments: {},
      };
      await store.saveExport('visitorActivity', {
        id: 999,
        window: WINDOW,
        request,
        createdAtMs: 0,
      });

      const pages = await collect(exportSource(api, options({ store })));

      expect(idsOf(pages).length).toBe(8);
      expect(store.exportFor('visitorActivity', WINDOW)?.id).toBe(100);
    });
  }

  it('emits nothing and creates no export for a window recorded as done', async () => {
    const api = new FakePardotApi(rows(8), zone);
    const store = new MemoryStateStore();
    store.setProgress('visitorActivity', WINDOW, null, true);

    const pages = await collect(exportSource(api, options({ store })));

    expect(pages).toEqual([]);
    expect(api.calls).toBe(0);
  });

  it('runs one export job at a time through the account queue', async () => {
    const api = new FakePardotApi(rows(10), zone);
    const queue = new ExportQueue();
    const other = { startMs: WINDOW.endMs, endMs: WINDOW.endMs + 86_400_000 };
    const statesAtCreate: string[][] = [];
    const create = api.createExport.bind(api);
    api.createExport = async (request) => {
      statesAtCreate.push([...api.exports.values()].map((e) => e.job.state));
      return create(request);
    };

    await firstValueFrom(
      merge(
        exportSource(api, options({ queue })),
        exportSource(api, options({ queue, window: other })),
      ).pipe(toArray()),
    );

    expect(statesAtCreate).toEqual([[], ['Complete']]);
    expect(queue.waiting).toBe(0);
    expect(queue.active).toBe(0);
  });

  it('stops reading files when the subscriber leaves after the first page', async () => {
    const api = new FakePardotApi(rows(2500), zone);

    const pages = await firstValueFrom(
      exportSource(api, options({ pageSize: 100 })).pipe(take(1), toArray()),
    );

    expect(pages[0].rows.length).toBe(100);
    expect(api.downloads.length).toBe(1);
  });
});

async function waitFor(condition: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 1));
  }
}
