import { from } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { fixed, growing, type PollSchedule } from '../../src/operators/pollSchedules';
import { ExportFailedError } from '../../src/pardot/errors';
import { type Sandbox, startSandbox } from '../../src/sandbox';
import { childQuerySource } from '../../src/sources/childQuerySource';
import { ExportQueue } from '../../src/sources/ExportQueue';
import { exportSource, type ExportSourceOptions } from '../../src/sources/exportSource';
import { querySource } from '../../src/sources/querySource';
import type { TimeWindow } from '../../src/sources/types';
import { collect, idsOf } from './collect';
import { MemoryStateStore } from './fakes/MemoryStateStore';
import { SandboxScheduler } from './SandboxScheduler';
import { sandboxClient } from '../support/sandboxClient';

const NOW = Date.parse('2024-11-20T17:00:00Z');
const HOUR = 3_600_000;
const MINUTE = 60_000;
// A local day in New York, three days before the sandbox's now.
const DAY: TimeWindow = {
  startMs: Date.parse('2024-11-17T05:00:00Z'),
  endMs: Date.parse('2024-11-18T05:00:00Z'),
};
const BURST_MS = DAY.startMs + 14 * HOUR + 30 * MINUTE;

const opened: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  while (opened.length > 0) await opened.pop()!.close();
});

async function setUp(
  version: 4 | 5 = 4,
  settings: Partial<Sandbox['settings']> = {},
  historyDays = 10,
) {
  const sb = await startSandbox({
    nowMs: NOW,
    historyDays,
    visitorActivitiesPerDay: 300,
    settings: { exportProcessingMs: 15 * MINUTE, exportQueueMs: 0, ...settings },
  });
  const client = sandboxClient(sb, { version });
  opened.push(sb, client);
  await client.connect();
  return { sb, client };
}

function truthIds(sb: Sandbox, window: TimeWindow): number[] {
  return sb.truth
    .list('visitorActivity', { from: window.startMs, to: window.endMs })
    .map((r) => r.id as number);
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

function exportOptions(sb: Sandbox, extra: Partial<ExportSourceOptions> = {}): ExportSourceOptions {
  return {
    object: 'visitorActivity',
    window: DAY,
    queue: new ExportQueue(),
    scheduler: new SandboxScheduler(sb.clock),
    ...extra,
  };
}

function reads(sb: Sandbox): number {
  return sb.log.entries.filter((e) => e.path.includes('/do/read/')).length;
}

describe('sources against the sandbox through PardotClient', () => {
  for (const inclusiveFilters of [false, true]) {
    for (const count of [450, 1200]) {
      const reading = inclusiveFilters ? 'inclusive' : 'strict';
      it(`pulls ${count} rows sharing one second exactly once (${reading})`, async () => {
        const { sb, client } = await setUp(4, { inclusiveFilters });
        sb.insert(
          'visitorActivity',
          Array.from({ length: count }, () => ({ created_at: BURST_MS, type: 1 })),
        );

        const pages = await collect(
          querySource(client, { object: 'visitorActivity', window: DAY }),
          30_000,
        );

        const ids = idsOf(pages);
        expect(ids.length).toBe(new Set(ids).size);
        expect(sorted(ids)).toEqual(truthIds(sb, DAY));
        expect(ids.length).toBeGreaterThan(count);
      });
    }
  }

  it('pulls both DST days exactly, bursts in the repeated autumn hour included', async () => {
    const { sb, client } = await setUp(4, {}, 260);
    const autumn = {
      startMs: client.time.dayStart('2024-11-03'),
      endMs: client.time.dayStart('2024-11-04'),
    };
    const spring = {
      startMs: client.time.dayStart('2024-03-10'),
      endMs: client.time.dayStart('2024-03-11'),
    };
    // 01:30 EDT and 01:30 EST: the same naive time, an hour apart.
    for (const at of ['2024-11-03T05:30:00Z', '2024-11-03T06:30:00Z']) {
      const rows = Array.from({ length: 150 }, () => ({ created_at: Date.parse(at), type: 2 }));
      sb.insert('visitorActivity', rows);
    }

    const pulled = await Promise.all(
      [autumn, spring].map((window) =>
        collect(querySource(client, { object: 'visitorActivity', window }), 30_000),
      ),
    );

    expect((autumn.endMs - autumn.startMs) / HOUR).toBe(25);
    expect(sorted(idsOf(pulled[0]))).toEqual(truthIds(sb, autumn));
    expect(sorted(idsOf(pulled[1]))).toEqual(truthIds(sb, spring));
    expect(idsOf(pulled[0]).length).toBeGreaterThan(300);
  });

  it('reads the visits of 300 visitors in POST batches of up to 200 ids', async () => {
    const { sb, client } = await setUp();
    const visitorIds = sb.truth
      .list('visitor')
      .slice(0, 300)
      .map((v) => v.id as number);
    const wanted = new Set(visitorIds);
    const expected = sb.truth
      .list('visit')
      .filter((v) => wanted.has(v.visitor_id as number))
      .map((v) => v.id as number);
    const posts = vi.spyOn(client, 'queryPost');

    const pages = await collect(
      childQuerySource(client, {
        object: 'visit',
        parentIds$: from(visitorIds),
        param: 'visitor_ids',
      }),
      30_000,
    );

    expect(expected.length).toBeGreaterThan(0);
    expect(sorted(idsOf(pages))).toEqual(expected);
    expect(posts.mock.calls[0][1].visitor_ids).toBe(visitorIds.slice(0, 200).join(','));
  });

  it('restarts a v5 chain cut by a small cap and pulls every row once', async () => {
    const { sb, client } = await setUp(5);
    sb.settings.v5ChainCap = 250;
    sb.insert(
      'visitorActivity',
      Array.from({ length: 450 }, () => ({ created_at: BURST_MS, type: 1 })),
    );
    const chains = vi.spyOn(client, 'queryV5');

    const pages = await collect(
      querySource(client, { object: 'visitorActivity', window: DAY, limit: 100 }),
      30_000,
    );

    expect(sorted(idsOf(pages))).toEqual(truthIds(sb, DAY));
    const orders = chains.mock.calls.map(([, params]) => params.orderBy);
    expect(orders.length).toBeGreaterThan(1);
    expect(orders[0]).toBe('createdAt ASC,id ASC');
    expect(orders.includes('id ASC')).toBe(true);
  });

  for (const [label, rowsPerFile, window] of [
    ['0 files', 100_000, { startMs: NOW - 300 * 86_400_000, endMs: NOW - 299 * 86_400_000 }],
    ['1 file', 100_000, DAY],
    ['3 files', 0, DAY],
  ] as const) {
    it(`exports a window with ${label} and emits every row once`, async () => {
      const { sb, client } = await setUp();
      const expected = truthIds(sb, window);
      sb.settings.exportRowsPerFile = rowsPerFile || Math.ceil(expected.length / 3);

      const pages = await collect(
        exportSource(client, exportOptions(sb, { window, pageSize: 100 })),
        30_000,
      );

      const downloads = sb.log.entries.filter((e) => e.path.includes('downloadResults')).length;
      expect(downloads).toBe(label === '0 files' ? 0 : label === '1 file' ? 1 : 3);
      expect(sorted(idsOf(pages))).toEqual(expected);
      expect(pages.at(-1)!.last).toBe(true);
    });
  }

  it('fails with ExportFailedError when every export fails, after re-creating it', async () => {
    const { sb, client } = await setUp();
    sb.settings.faults.exportFailed = 1;

    const failure = collect(exportSource(client, exportOptions(sb, { maxRecreates: 1 })), 30_000);

    await expect(failure).rejects.toBeInstanceOf(ExportFailedError);
    expect(sb.log.entries.filter((e) => e.path.includes('/do/create')).length).toBe(2);
  });

  it('creates a failed export again and emits its rows', async () => {
    const { sb, client } = await setUp();
    sb.settings.faults.exportFailed = 1;
    const create = client.createExport.bind(client);
    client.createExport = async (request, options) => {
      const job = await create(request, options);
      sb.settings.faults.exportFailed = 0;
      return job;
    };

    const pages = await collect(exportSource(client, exportOptions(sb)), 30_000);

    expect(sb.log.entries.filter((e) => e.path.includes('/do/create')).length).toBe(2);
    expect(sorted(idsOf(pages))).toEqual(truthIds(sb, DAY));
  });

  it('resumes polling the saved export id after a restart', async () => {
    const { sb, client } = await setUp();
    const store = new MemoryStateStore();
    const slow = exportOptions(sb, { store, schedule: fixed(MINUTE) });
    const first = exportSource(client, slow).subscribe();
    await waitFor(() => reads(sb) >= 2);
    first.unsubscribe();
    const savedId = store.exportFor('visitorActivity', DAY)!.id;

    const pages = await collect(exportSource(client, exportOptions(sb, { store })), 30_000);

    expect(sb.log.entries.filter((e) => e.path.includes('/do/create')).length).toBe(1);
    expect(sb.log.entries.some((e) => e.path.includes(`/do/read/id/${savedId}`))).toBe(true);
    expect(sorted(idsOf(pages))).toEqual(truthIds(sb, DAY));
  });

  for (const [name, schedule] of [
    ['growing', growing],
    ['fixed 2m', fixed(2 * MINUTE)],
  ] as Array<[string, PollSchedule]>) {
    it(`polls a 15-minute export as often as the ${name} schedule implies`, async () => {
      const { sb, client } = await setUp();

      await collect(exportSource(client, exportOptions(sb, { schedule })), 30_000);

      expect(reads(sb)).toBe(impliedPolls(schedule, 15 * MINUTE));
    });
  }

  it('polls once when the adaptive schedule starts at the usual duration', async () => {
    const { sb, client } = await setUp();
    const store = new MemoryStateStore();
    await store.addExportDuration('visitorActivity', 15 * MINUTE);

    await collect(exportSource(client, exportOptions(sb, { store })), 30_000);

    expect(reads(sb)).toBe(1);
    expect(store.exportDurations('visitorActivity')).toEqual([15 * MINUTE, 15 * MINUTE]);
  });
});

/** The first k whose summed delays reach the duration. */
function impliedPolls(schedule: PollSchedule, durationMs: number): number {
  let elapsed = 0;
  let k = 0;
  while (elapsed < durationMs) elapsed += schedule(k++);
  return k;
}

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}
