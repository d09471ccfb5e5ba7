import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSandbox, type Sandbox } from '../../src/sandbox';
import { call, NOW } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ nowMs: NOW, historyDays: 3, visitorActivitiesPerDay: 400 });
});
afterAll(() => sandbox.close());

describe('v5 query', () => {
  it('follows nextPageUrl to the end and returns every row once', async () => {
    const first = await call(
      sandbox,
      '/api/v5/objects/visitor-activities?fields=id,createdAt&limit=1000&createdAtAfterOrEqualTo=2024-11-04T00:00:00-05:00',
    );
    const ids: number[] = first.json().values.map((v: { id: number }) => v.id);
    let next = first.json().nextPageUrl as string | null;
    while (next) {
      const page = (await call(sandbox, next.slice(sandbox.url.length))).json();
      ids.push(...page.values.map((v: { id: number }) => v.id));
      next = page.nextPageUrl;
    }

    const truth = sandbox.truth
      .list('visitorActivity', { from: Date.UTC(2024, 10, 4, 5) })
      .map((r) => r.id);
    expect(ids).toEqual(truth);
    expect(first.json().values[0].createdAt).toMatch(/^2024-11-04T\d\d:\d\d:\d\d-05:00$/);
  });

  it('cuts the token chain at the cap with warning 203', async () => {
    sandbox.settings.v5ChainCap = 250;
    const first = await call(sandbox, '/api/v5/objects/visitor-activities?fields=id&limit=200');
    const second = await call(
      sandbox,
      `/api/v5/objects/visitor-activities?nextPageToken=${first.json().nextPageToken}`,
    );
    sandbox.settings.v5ChainCap = 100_000;

    expect(first.json().values).toHaveLength(200);
    expect(second.json().values).toHaveLength(50);
    expect(second.json().nextPageToken).toBe(null);
    expect(
      String(second.headers['pardot-warning']).startsWith(
        '203;Record count for nextPageToken sequence has been exceeded',
      ),
    ).toBe(true);
  });

  it('rejects parameters sent beside a page token with HTTP 400', async () => {
    const first = await call(sandbox, '/api/v5/objects/prospects?fields=id,email&limit=5');
    const bad = await call(
      sandbox,
      `/api/v5/objects/prospects?nextPageToken=${first.json().nextPageToken}&limit=5`,
    );
    const missing = await call(sandbox, '/api/v5/objects/prospects?limit=5');

    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json())).toEqual(['code', 'message']);
    expect(missing.status).toBe(400);
  });

  it('orders by updatedAt descending with ties by id', async () => {
    const res = await call(
      sandbox,
      '/api/v5/objects/lists?fields=id,updatedAt&orderBy=updatedAt DESC&limit=1000',
    );

    const values = res.json().values as Array<{ id: number; updatedAt: string }>;
    const truth = sandbox.truth
      .list('list')
      .sort(
        (a, b) =>
          +(b.updated_at as Date) - +(a.updated_at as Date) || (b.id as number) - (a.id as number),
      );
    expect(values.map((v) => v.id)).toEqual(truth.map((r) => r.id));
  });
});
