import { afterEach, describe, expect, it } from 'vitest';

import { startSandbox } from '../../src/sandbox';
import { querySource } from '../../src/sources/querySource';
import type { TimeWindow } from '../../src/sources/types';
import { collect, idsOf } from '../sources/collect';
import { sandboxClient } from '../support/sandboxClient';

const NOW = Date.parse('2024-11-20T17:00:00Z');
// A local day in New York.
const DAY: TimeWindow = {
  startMs: Date.parse('2024-11-17T05:00:00Z'),
  endMs: Date.parse('2024-11-18T05:00:00Z'),
};
const SECOND = 1000;

const opened: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  while (opened.length > 0) await opened.pop()!.close();
});

describe('querySource under inclusive filters', () => {
  it('stops at the window end when more rows than a page share the end second', async () => {
    const sb = await startSandbox({
      nowMs: NOW,
      historyDays: 5,
      visitorActivitiesPerDay: 10,
      counts: { prospect: 0 },
      settings: { inclusiveFilters: true },
    });
    const client = sandboxClient(sb);
    opened.push(sb, client);
    await client.connect();
    const updatedAt = (ms: number) => ({ created_at: ms - 86_400_000, updated_at: ms });
    // A row one second before the window shows the server inclusive on the first page.
    const before = sb.insert('prospect', [updatedAt(DAY.startMs - SECOND)]);
    const inside = sb.insert('prospect', [
      updatedAt(DAY.startMs),
      ...Array.from({ length: 250 }, () => updatedAt(DAY.endMs - SECOND)),
    ]);
    // A scheduled job touching hundreds of prospects at the next local midnight.
    const after = sb.insert(
      'prospect',
      Array.from({ length: 250 }, () => updatedAt(DAY.endMs)),
    );

    const ids = idsOf(await collect(querySource(client, { object: 'prospect', window: DAY })));

    expect(before.length + after.length).toBe(251);
    expect(ids).toEqual(inside.map((r) => r.id));
  });
});
