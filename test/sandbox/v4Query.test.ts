import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSandbox, type Sandbox } from '../../src/sandbox';
import { call, NOW } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ nowMs: NOW, historyDays: 30, visitorActivitiesPerDay: 300 });
});
afterAll(() => sandbox.close());

const Q = '/api/visitorActivity/version/4/do/query';

describe('v4 query', () => {
  it('returns a bulk JSON page sorted by id without total_results', async () => {
    const res = await call(sandbox, `${Q}?format=json&output=bulk&sort_by=id&sort_order=ascending&limit=3&created_after=2024-11-01`);

    const body = res.json();
    expect(res.status).toBe(200);
    expect(body['@attributes']).toEqual({ stat: 'ok', version: 1 });
    expect(Object.keys(body.result)).toEqual(['visitor_activity']);
    const expected = sandbox.truth.list('visitorActivity', { from: Date.UTC(2024, 10, 1, 4) }).slice(0, 3);
    expect(body.result.visitor_activity.map((r: { id: number }) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it('rejects a limit above 200 with code 23', async () => {
    const res = await call(sandbox, `${Q}?format=json&limit=201`);

    expect(res.json()).toEqual({
      '@attributes': { stat: 'fail', version: 1, err_code: 23 },
      err: 'Invalid limit: the maximum is 200',
    });
  });
});
