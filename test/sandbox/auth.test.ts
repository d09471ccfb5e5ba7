import { createSign } from 'node:crypto';

import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSandbox, type Sandbox } from '../../src/sandbox';
import { call, NOW } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ nowMs: NOW, historyDays: 5, visitorActivitiesPerDay: 50 });
});
afterAll(() => sandbox.close());

async function token(form: Record<string, string>) {
  const res = await request(`${sandbox.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, string> };
}

function jwt(claims: Record<string, unknown>): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${enc({ alg: 'RS256' })}.${enc(claims)}`;
  const signature = createSign('RSA-SHA256')
    .update(unsigned)
    .sign(sandbox.credentials.privateKeyPem);
  return `${unsigned}.${signature.toString('base64url')}`;
}

const QUERY = '/api/list/version/4/do/query?format=json&limit=1';

describe('sandbox OAuth', () => {
  it('grants a token for the password, refresh-token and JWT-bearer flows', async () => {
    const c = sandbox.credentials;
    const claims = {
      iss: c.clientId,
      sub: c.username,
      aud: sandbox.loginUrl,
      exp: Math.floor(NOW / 1000) + 180,
    };

    const replies = [
      await token({
        grant_type: 'password',
        client_id: c.clientId,
        client_secret: c.clientSecret,
        username: c.username,
        password: c.password,
      }),
      await token({
        grant_type: 'refresh_token',
        client_id: c.clientId,
        client_secret: c.clientSecret,
        refresh_token: c.refreshToken,
      }),
      await token({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: jwt(claims),
      }),
    ];

    expect(replies.map((r) => [r.status, r.body.token_type, r.body.instance_url])).toEqual([
      [200, 'Bearer', sandbox.url],
      [200, 'Bearer', sandbox.url],
      [200, 'Bearer', sandbox.url],
    ]);
    const res = await call(sandbox, QUERY, {
      headers: {
        authorization: `Bearer ${replies[2].body.access_token}`,
        'pardot-business-unit-id': sandbox.businessUnitId,
      },
    });
    expect(res.json()['@attributes'].stat).toBe('ok');
  });

  it('answers invalid_grant and invalid_client in the Salesforce shape', async () => {
    const c = sandbox.credentials;

    const badPassword = await token({
      grant_type: 'password',
      client_id: c.clientId,
      client_secret: c.clientSecret,
      username: c.username,
      password: 'nope',
    });
    const badSecret = await token({
      grant_type: 'refresh_token',
      client_id: c.clientId,
      client_secret: 'nope',
      refresh_token: c.refreshToken,
    });
    const expiredJwt = await token({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: jwt({
        iss: c.clientId,
        sub: c.username,
        aud: sandbox.loginUrl,
        exp: Math.floor(NOW / 1000) - 1,
      }),
    });

    expect(badPassword).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'authentication failure' },
    });
    expect(badSecret).toEqual({
      status: 400,
      body: { error: 'invalid_client', error_description: 'invalid client credentials' },
    });
    expect(expiredJwt.body.error).toBe('invalid_grant');
  });
});

describe('sandbox API authentication', () => {
  const fail = async (headers: Record<string, string>) => {
    const res = await call(sandbox, QUERY, { headers });
    return [res.status, res.json()['@attributes'].err_code];
  };

  it('answers 181, 182, 201, 199 and 184 for bad headers', async () => {
    const bearer = `Bearer ${sandbox.issueToken()}`;

    expect(await fail({ authorization: bearer })).toEqual([400, 181]);
    expect(await fail({ authorization: bearer, 'pardot-business-unit-id': '0Uvshort' })).toEqual([
      400, 182,
    ]);
    expect(
      await fail({ authorization: bearer, 'pardot-business-unit-id': '0Uv000000000000XYZ' }),
    ).toEqual([400, 201]);
    expect(
      await fail({
        authorization: 'Pardot api_key=a, user_key=b',
        'pardot-business-unit-id': sandbox.businessUnitId,
      }),
    ).toEqual([401, 199]);
    expect(
      await fail({
        authorization: 'Bearer made-up',
        'pardot-business-unit-id': sandbox.businessUnitId,
      }),
    ).toEqual([401, 184]);
  });

  it('expires tokens on the sandbox clock and can answer 184 with HTTP 400', async () => {
    const headers = sandbox.authHeaders();
    sandbox.clock.advance(sandbox.settings.tokenLifetimeMs - 1000);
    const before = await fail(headers);
    sandbox.clock.advance(1000);
    sandbox.settings.status184 = 400;
    const after = await fail(headers);
    sandbox.settings.status184 = 401;

    expect(before).toEqual([200, undefined]);
    expect(after).toEqual([400, 184]);
  });

  it('gates the API version per business unit with 88 and 89', async () => {
    const v3 = await call(sandbox, QUERY.replace('version/4', 'version/3'));
    sandbox.settings.apiVersion = 3;
    const v4 = await call(sandbox, QUERY);
    sandbox.settings.apiVersion = 4;

    expect(v3.json()['@attributes'].err_code).toBe(88);
    expect(v4.json()['@attributes'].err_code).toBe(89);
  });

  it('keeps tokens out of the request log', async () => {
    const headers = sandbox.authHeaders();
    await call(sandbox, `${QUERY}&created_after=today`, { headers });

    const logged = JSON.stringify(sandbox.log.entries);
    expect(logged.includes(headers.authorization.slice(7))).toBe(false);
    expect(logged.includes('created_after')).toBe(false);
  });
});
