import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSandbox, type Sandbox } from '../../src/sandbox';
import { call, NOW } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ nowMs: NOW, historyDays: 5, visitorActivitiesPerDay: 100 });
});
afterAll(() => sandbox.close());

const total = async (object: string, query: string) =>
  (
    await call(
      sandbox,
      `/api/${object}/version/4/do/query?format=json&output=simple&limit=1&${query}`,
    )
  ).json().result.total_results as number;

describe('sandbox mutations', () => {
  it('inserts 450 activities in one second with unique increasing ids', async () => {
    const second = Date.UTC(2024, 10, 4, 14, 0, 0);

    const rows = sandbox.insert(
      'visitorActivity',
      Array.from({ length: 450 }, () => ({ type: 6, visitor_id: 3, created_at: second })),
    );

    const ids = rows.map((r) => r.id as number);
    expect(new Set(ids).size).toBe(450);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(
      sandbox.truth.count('visitorActivity', { from: second, to: second + 1000 }),
    ).toBeGreaterThanOrEqual(450);
  });

  it('hides a late row until its visible-from time', async () => {
    const created = Date.UTC(2024, 10, 3, 18, 0, 0);
    const query = 'created_after=2024-11-03 12:59:59&created_before=2024-11-03 13:00:01';
    const before = await total('visitorActivity', query);

    sandbox.insert('visitorActivity', [{ type: 2, visitor_id: 1, created_at: created }], {
      visibleFromMs: NOW + 60_000,
    });
    const hidden = await total('visitorActivity', query);
    sandbox.clock.advance(60_000);
    const shown = await total('visitorActivity', query);

    expect([hidden - before, shown - before]).toEqual([0, 1]);
  });

  it('bumps updated_at on update and moves removed rows to the recycle bin', async () => {
    const prospect = sandbox.truth.list('prospect')[0];
    const now = Math.floor(sandbox.clock.now() / 1000) * 1000;

    const updated = sandbox.update('prospect', prospect.id as number, { score: 999 });
    sandbox.remove('prospect', prospect.id as number);

    expect(updated.updated_at).toEqual(new Date(now));
    expect(updated.score).toBe(999);
    expect(await total('prospect', `deleted=true&${around(prospect.id as number)}`)).toBe(1);
    expect(await total('prospect', around(prospect.id as number))).toBe(0);
  });
});

/** Filters selecting exactly the row with this id (both bounds are strict). */
function around(id: number): string {
  return `id_greater_than=${id - 1}&id_less_than=${id + 1}`;
}
