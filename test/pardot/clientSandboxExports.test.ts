import { parse } from 'csv-parse';
import { afterEach, describe, expect, it } from 'vitest';

import type { PardotClient } from '../../src/pardot/PardotClient';
import type { PardotRecord } from '../../src/pardot/types';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { sandboxClient } from '../support/sandboxClient';

const NOW = Date.parse('2024-11-20T17:00:00Z');
const DAY = 86_400_000;

const opened: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  while (opened.length > 0) await opened.pop()!.close();
});

async function setUp(version: 4 | 5): Promise<{ sb: Sandbox; client: PardotClient }> {
  const sb = await startSandbox({
    nowMs: NOW,
    historyDays: 30,
    visitorActivitiesPerDay: 300,
    settings: { exportRowsPerFile: 120, exportProcessingMs: 30_000, exportQueueMs: 1000 },
  });
  const client = sandboxClient(sb, { version });
  opened.push(sb, client);
  return { sb, client };
}

/** Rows without null fields: a CSV cannot tell an omitted field from an empty one. */
const present = (r: PardotRecord) =>
  Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null));

async function downloadAll(client: PardotClient, refs: string[]): Promise<PardotRecord[]> {
  const rows: PardotRecord[] = [];
  for (const ref of refs) {
    const parser = (await client.download(ref)).pipe(parse({ columns: true }));
    for await (const raw of parser)
      rows.push(client.typeRow('visitorActivity', raw as Record<string, string>));
  }
  return rows.sort((a, b) => (a.id as number) - (b.id as number));
}

describe('PardotClient exports against the sandbox', () => {
  it.each([4, 5] as const)(
    'creates, polls and downloads a v%i export equal to the truth',
    async (version) => {
      const { sb, client } = await setUp(version);
      await client.connect();
      const from = client.time.dayStart('2024-11-18');

      const created = await client.createExport({
        object: 'visitorActivity',
        procedure: 'filter_by_created_at',
        arguments: {
          created_after: client.time.format(from - 1000),
          created_before: client.time.format(from + DAY),
        },
      });
      const states = [created.state];
      let job = created;
      while (job.state !== 'Complete' && states.length < 10) {
        sb.clock.advance(10_000);
        job = await client.readExport(created.id);
        states.push(job.state);
      }
      const rows = await downloadAll(client, job.resultRefs);

      expect(states[0]).toBe('Waiting');
      expect(states.at(-1)).toBe('Complete');
      expect(job.resultRefs.length).toBeGreaterThan(1);
      expect(rows.map(present)).toEqual(
        sb.truth.list('visitorActivity', { from, to: from + DAY }).map(present),
      );
      expect(client.inFlight).toBe(0);
    },
  );
});

describe('PardotClient v5 against the sandbox', () => {
  it('follows nextPageUrl to the end with records equal to the truth', async () => {
    const { sb, client } = await setUp(4);
    const from = Date.parse('2024-11-18T05:00:00Z');
    const params = {
      createdAtAfterOrEqualTo: new Date(from).toISOString(),
      createdAtBefore: new Date(from + DAY).toISOString(),
      orderBy: 'id ASC',
      limit: 100,
    };

    const rows: PardotRecord[] = [];
    let page = await client.queryV5('visitorActivity', params);
    rows.push(...page.rows);
    while (page.nextPageUrl) {
      page = await client.nextV5('visitorActivity', page.nextPageUrl);
      rows.push(...page.rows);
    }

    expect(rows.length).toBeGreaterThan(100);
    // v5 sends null for every requested field that is unset, where bulk output omits it.
    const truth = sb.truth.list('visitorActivity', { from, to: from + DAY });
    expect(rows.map(present)).toEqual(truth.map(present));
  });

  it('surfaces the 203 warning when the token chain is cut', async () => {
    const { sb, client } = await setUp(4);
    sb.settings.v5ChainCap = 150;

    const first = await client.queryV5('prospect', { orderBy: 'id ASC', limit: 100 });
    const second = await client.nextV5('prospect', first.nextPageUrl!);

    expect([first.warnings, second.warnings, second.nextPageUrl]).toEqual([[], [203], null]);
  });
});
