import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startSandbox, type Sandbox } from '../../src/sandbox';
import { call, NOW } from './helpers';

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox({ nowMs: NOW, historyDays: 3, visitorActivitiesPerDay: 50 });
});
afterEach(() => sandbox.close());

const QUERY = '/api/tag/version/4/do/query?format=json&limit=1';
const code = (text: string) => JSON.parse(text)['@attributes'].err_code as number | undefined;

describe('sandbox limits', () => {
  it('answers the sixth concurrent request with code 66', async () => {
    sandbox.settings.latencyMs = 150;

    const replies = await Promise.all(Array.from({ length: 6 }, () => call(sandbox, QUERY)));

    expect(replies.map((r) => code(r.text)).sort()).toEqual([
      66,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(sandbox.log.maxInFlight).toBe(6);
  });

  it('answers code 122 once the daily quota is spent and resets at local midnight', async () => {
    sandbox.settings.dailyQuota = 3;
    // 23:59:59 in New York on 2024-11-05 is 04:59:59 UTC on 2024-11-06.
    sandbox.clock.set(Date.UTC(2024, 10, 6, 4, 59, 59));

    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(code((await call(sandbox, QUERY)).text));
    sandbox.clock.advance(1000);
    codes.push(code((await call(sandbox, QUERY)).text));

    expect(codes).toEqual([undefined, undefined, undefined, 122, undefined]);
    expect(sandbox.quotaUsedToday()).toBe(1);
  });

  it('injects seeded HTTP faults but never into the token endpoint', async () => {
    sandbox.settings.faults.http503 = 1;

    const api = await call(sandbox, QUERY);
    const oauth = await call(sandbox, '/services/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: sandbox.credentials.clientId,
        client_secret: sandbox.credentials.clientSecret,
        username: sandbox.credentials.username,
        password: sandbox.credentials.password,
      }).toString(),
    });

    expect(api.status).toBe(503);
    expect(oauth.status).toBe(200);
  });

  it('closes the socket mid-body when told to', async () => {
    sandbox.settings.faults.socketClose = 1;

    await expect(call(sandbox, QUERY)).rejects.toThrow();
  });

  it('truncates bodies when told to', async () => {
    sandbox.settings.faults.truncatedBody = 1;

    const res = await call(sandbox, QUERY);

    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.text)).toThrow();
  });
});
