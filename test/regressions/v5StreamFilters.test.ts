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

const opened: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  while (opened.length > 0) await opened.pop()!.close();
});

describe('querySource on API v5 with stream filters', () => {
  it('reads every visitor of the day when told only_identified=false', async () => {
    const sb = await startSandbox({ nowMs: NOW, historyDays: 5, visitorActivitiesPerDay: 300 });
    const client = sandboxClient(sb, { version: 5 });
    opened.push(sb, client);
    await client.connect();
    const expected = sb.truth
      .list('visitor', { from: DAY.startMs, to: DAY.endMs, field: 'updated_at' })
      .map((r) => r.id as number);

    const pages = await collect(
      querySource(client, {
        object: 'visitor',
        window: DAY,
        params: { only_identified: 'false' },
      }),
    );

    expect(expected.length).toBeGreaterThan(0);
    expect(idsOf(pages).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
  });

  it('sends a field filter by its v5 name (list_id as listId)', async () => {
    const sb = await startSandbox({ nowMs: NOW, historyDays: 5, visitorActivitiesPerDay: 300 });
    const client = sandboxClient(sb, { version: 5 });
    opened.push(sb, client);
    await client.connect();
    const all = sb.truth.list('listMembership', {
      from: DAY.startMs,
      to: DAY.endMs,
      field: 'updated_at',
    });
    const listId = all[0].list_id as number;

    const pages = await collect(
      querySource(client, { object: 'listMembership', window: DAY, params: { list_id: listId } }),
    );

    const expected = all.filter((r) => r.list_id === listId).map((r) => r.id as number);
    expect(idsOf(pages).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
  });
});
