import { generateKeyPairSync, createVerify } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import {
  AuthError,
  BadRequestError,
  type PardotPipesError,
  QuotaError,
  RetriesExhaustedError,
} from '../../src/pardot/errors';
import { PardotClient, type PardotClientOptions } from '../../src/pardot/PardotClient';
import type { PardotCredentials } from '../../src/pardot/TokenSource';
import {
  BU,
  type FakeReply,
  type FakeRequest,
  failBody,
  okBody,
  startFake,
  type FakeServer,
} from './fakeServer';

const ROW = { id: 1, type: 2, created_at: '2024-07-01 10:00:00' };
const QUERY = '/api/visitorActivity/version/4/do/query';

let fake: FakeServer | undefined;
let client: PardotClient | undefined;

afterEach(async () => {
  await client?.close();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

interface Setup {
  api: (req: FakeRequest) => FakeReply | Promise<FakeReply>;
  oauth?: (req: FakeRequest) => FakeReply;
  options?: Partial<PardotClientOptions>;
}

async function setUp({ api, oauth, options }: Setup): Promise<PardotClient> {
  let issued = 0;
  fake = await startFake((req) => {
    if (req.path === '/services/oauth2/token') {
      issued += 1;
      return oauth ? oauth(req) : { body: JSON.stringify({ access_token: `tok-${issued}` }) };
    }
    return api(req);
  });
  client = new PardotClient({
    apiUrl: fake.url,
    loginUrl: fake.url,
    businessUnitId: BU,
    timezone: 'America/New_York',
    credentials: {
      kind: 'refreshToken',
      clientId: 'cid',
      clientSecret: 'csecret',
      refreshToken: 'rtoken',
    },
    retry: { baseDelayMs: 1, random: () => 0.5 },
    ...options,
  });
  return client;
}

const ok = (): FakeReply => ({ body: okBody('visitor_activity', [ROW]) });
const apiCalls = () => fake!.requests.filter((r) => r.path.startsWith('/api/'));
const tokenCalls = () => fake!.requests.filter((r) => r.path === '/services/oauth2/token');

describe('PardotClient auth', () => {
  it('sends the refresh-token grant as form fields', async () => {
    const api = await setUp({ api: ok });

    await api.query('visitorActivity', {});

    expect(Object.fromEntries(new URLSearchParams(tokenCalls()[0].body))).toEqual({
      grant_type: 'refresh_token',
      client_id: 'cid',
      client_secret: 'csecret',
      refresh_token: 'rtoken',
    });
    expect(apiCalls().map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
    ]);
  });

  it('sends the username-password grant', async () => {
    const credentials: PardotCredentials = {
      kind: 'password',
      clientId: 'cid',
      clientSecret: 'cs',
      username: 'u@x.com',
      password: 'pw',
    };
    const api = await setUp({ api: ok, options: { credentials } });

    await api.query('visitorActivity', {});

    expect(Object.fromEntries(new URLSearchParams(tokenCalls()[0].body))).toEqual({
      grant_type: 'password',
      client_id: 'cid',
      client_secret: 'cs',
      username: 'u@x.com',
      password: 'pw',
    });
  });

  it('signs a JWT bearer assertion with RS256', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const now = Date.parse('2024-07-01T12:00:00Z');
    const credentials: PardotCredentials = {
      kind: 'jwt',
      clientId: 'cid',
      username: 'u@x.com',
      privateKeyPem,
    };
    const api = await setUp({ api: ok, options: { credentials, clock: { now: () => now } } });

    await api.query('visitorActivity', {});

    const form = new URLSearchParams(tokenCalls()[0].body);
    const [header, claims, signature] = form.get('assertion')!.split('.');
    const valid = createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(publicKey, Buffer.from(signature, 'base64url'));
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(valid).toBe(true);
    expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).toEqual({
      iss: 'cid',
      sub: 'u@x.com',
      aud: fake!.url,
      exp: now / 1000 + 180,
    });
  });

  it('reuses a cached token until it expires on the clock', async () => {
    let now = 0;
    const api = await setUp({ api: ok, options: { clock: { now: () => now }, tokenTtlMs: 1000 } });

    await api.query('visitorActivity', {});
    now = 999;
    await api.query('visitorActivity', {});
    now = 1000;
    await api.query('visitorActivity', {});

    expect(tokenCalls()).toHaveLength(2);
  });

  it('refreshes once on 184 and replays the request', async () => {
    const api = await setUp({
      api: (req) =>
        req.headers.authorization === 'Bearer tok-1'
          ? { status: 401, body: failBody(184, 'invalid token') }
          : ok(),
    });

    const page = await api.query('visitorActivity', {});

    expect(page.rows).toHaveLength(1);
    expect(tokenCalls()).toHaveLength(2);
  });

  it('shares one refresh among many requests failing together', async () => {
    const api = await setUp({
      api: (req) =>
        req.headers.authorization === 'Bearer tok-1'
          ? { status: 400, body: failBody(184, 'invalid token') }
          : ok(),
    });
    await api.connect();

    const pages = await Promise.all(
      Array.from({ length: 10 }, () => api.query('visitorActivity', {})),
    );

    expect(pages.map((p) => p.rows.length)).toEqual(Array(10).fill(1));
    expect(tokenCalls()).toHaveLength(2);
  });

  it('fails with AuthError when the new token is rejected too', async () => {
    const api = await setUp({
      options: { timezone: 'UTC' },
      api: () => ({ status: 401, body: failBody(184, 'invalid') }),
    });

    const error = await api.query('visitorActivity', {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ pardotCode: 184, operation: 'query' });
    expect(tokenCalls()).toHaveLength(2);
  });

  it('says a ready access token cannot be refreshed', async () => {
    const api = await setUp({
      api: () => ({ status: 401, body: '' }),
      options: { credentials: { kind: 'accessToken', accessToken: 'ready' } },
    });

    const error = await api.connect().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('set PARDOT_ACCESS_TOKEN to a new token');
  });

  it('explains invalid_grant', async () => {
    const api = await setUp({
      api: ok,
      oauth: () => ({
        status: 400,
        body: JSON.stringify({
          error: 'invalid_grant',
          error_description: 'authentication failure',
        }),
      }),
    });

    const error = await api.connect().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('invalid_grant');
    expect((error as Error).message).toContain('test.salesforce.com for sandboxes');
  });
});

describe('PardotClient connect', () => {
  it('rejects a malformed business unit id before any call', async () => {
    const api = await setUp({ api: ok, options: { businessUnitId: '0Uv123' } });

    await expect(api.connect()).rejects.toThrow('18 characters starting with 0Uv');
    expect(fake!.requests).toHaveLength(0);
  });

  it('rejects a credential set with an empty field before any call', async () => {
    const credentials: PardotCredentials = {
      kind: 'refreshToken',
      clientId: 'cid',
      clientSecret: '',
      refreshToken: 'r',
    };
    const api = await setUp({ api: ok, options: { credentials } });

    await expect(api.connect()).rejects.toThrow('the refreshToken credentials lack clientSecret');
    expect(fake!.requests).toHaveLength(0);
  });

  it.each([
    [181, 'set PARDOT_BUSINESS_UNIT_ID'],
    [182, '18 characters starting with 0Uv'],
    [201, 'use https://pi.demo.pardot.com'],
    [49, 'access denied'],
    [199, 'api_key authentication is gone since June 2021; use Salesforce OAuth'],
  ])('explains code %i', async (code, hint) => {
    const api = await setUp({ api: () => ({ body: failBody(code, 'text') }) });

    const error = await api.connect().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({
      pardotCode: code,
      attempt: 1,
      operation: 'query',
      object: 'user',
    });
    expect((error as Error).message).toContain(hint);
    expect(apiCalls()).toHaveLength(1);
  });

  it('asks for PARDOT_TIMEZONE when the user record has none', async () => {
    const api = await setUp({
      api: () => ({ body: okBody('user', { id: 1, email: 'a@b' }) }),
      options: { timezone: undefined },
    });

    await expect(api.connect()).rejects.toThrow('set PARDOT_TIMEZONE');
  });

  it('takes the zone of the user whose email is the username', async () => {
    const users = [
      { id: 1, email: 'other@x.com', timezone: 'Europe/Paris' },
      { id: 2, email: 'API@x.com', timezone: 'Asia/Tokyo' },
    ];
    const credentials: PardotCredentials = {
      kind: 'password',
      clientId: 'c',
      clientSecret: 's',
      username: 'api@x.com',
      password: 'p',
    };
    const api = await setUp({
      api: () => ({ body: okBody('user', users) }),
      options: { timezone: undefined, credentials },
    });

    await api.connect();

    expect(api.time.zone).toBe('Asia/Tokyo');
    expect(apiCalls()[0].query.get('output')).toBe('full');
  });
});

describe('PardotClient retries', () => {
  it('retries code 66 and 5xx with backoff, then succeeds', async () => {
    const replies: FakeReply[] = [
      { body: failBody(66, 'too many') },
      { status: 503, body: 'busy' },
      { status: 502, body: '' },
    ];
    const delays: number[] = [];
    const api = await setUp({
      api: (req) => (req.path === QUERY ? (replies.shift() ?? ok()) : ok()),
      options: {
        retry: { baseDelayMs: 10, random: () => 0, sleep: async (ms) => void delays.push(ms) },
      },
    });

    const page = await api.query('visitorActivity', {});

    expect(page.rows).toHaveLength(1);
    expect(delays).toEqual([5, 10, 20]);
  });

  it('gives up after the tries with the last error as cause', async () => {
    const api = await setUp({
      api: (req) => (req.path === QUERY ? { status: 500, body: 'oops' } : ok()),
    });
    await api.connect();

    const error = await api.query('visitorActivity', {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error).toMatchObject({
      attempt: 6,
      status: 500,
      object: 'visitorActivity',
      operation: 'query',
    });
    expect((error as Error).cause).toMatchObject({ code: 'PARDOT_RETRIABLE', status: 500 });
    expect(apiCalls().filter((r) => r.path === QUERY)).toHaveLength(6);
  });

  it('stops retrying when the total time is spent', async () => {
    let now = 0;
    const api = await setUp({
      api: (req) => (req.path === QUERY ? { status: 504, body: '' } : ok()),
      options: {
        clock: { now: () => now },
        retry: {
          baseDelayMs: 1000,
          random: () => 0,
          maxElapsedMs: 2500,
          sleep: async (ms) => void (now += ms),
        },
      },
    });

    await expect(api.query('visitorActivity', {})).rejects.toBeInstanceOf(RetriesExhaustedError);

    expect(apiCalls().filter((r) => r.path === QUERY)).toHaveLength(3);
  });

  it('retries truncated, unparsable and reset replies', async () => {
    const body = okBody('visitor_activity', [ROW]);
    const replies: FakeReply[] = [
      { body, cutAfter: 20 },
      { body: body.slice(0, 30), headers: { 'content-length': '30' } },
      { body: '<html>proxy</html>' },
      { body, cutAfter: 0 },
    ];
    const api = await setUp({
      api: (req) => (req.path === QUERY ? (replies.shift() ?? ok()) : ok()),
    });
    const retries: string[] = [];
    api.on('retry', (e) => retries.push((e.error as PardotPipesError).code));

    const page = await api.query('visitorActivity', {});

    expect(page.rows).toEqual([{ id: 1, type: 2, created_at: new Date('2024-07-01T14:00:00Z') }]);
    expect(retries).toEqual([
      'PARDOT_RETRIABLE',
      'PARDOT_BAD_RESPONSE',
      'PARDOT_BAD_RESPONSE',
      'PARDOT_RETRIABLE',
    ]);
  });

  // undici checks header timeouts on a coarse (about 1 s) timer, so the reply is slower still.
  it('retries a reply slower than the headers timeout', async () => {
    let slow = true;
    const api = await setUp({
      api: async (req) => {
        if (req.path === QUERY && slow) {
          slow = false;
          await new Promise((r) => setTimeout(r, 3000));
        }
        return ok();
      },
      options: { timeouts: { headersMs: 50 } },
    });

    const page = await api.query('visitorActivity', {});

    expect(page.rows).toHaveLength(1);
    expect(apiCalls().filter((r) => r.path === QUERY)).toHaveLength(2);
  });

  it.each([7, 8, 19, 20, 23, 10000])('never retries bad request code %i', async (code) => {
    const api = await setUp({
      api: (req) => (req.path === QUERY ? { status: 400, body: failBody(code, 'bad') } : ok()),
    });

    const error = await api.query('visitorActivity', {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ pardotCode: code, attempt: 1 });
    expect(apiCalls().filter((r) => r.path === QUERY)).toHaveLength(1);
  });

  it('switches to v3 on 89 once and remembers it', async () => {
    const api = await setUp({
      api: (req) =>
        req.path.includes('/version/4/') ? { body: failBody(89, 'unable to use version 4') } : ok(),
    });

    await api.query('visitorActivity', {});
    await api.query('visitorActivity', {});

    expect(api.version).toBe(3);
    expect(apiCalls().map((r) => r.path)).toEqual([
      '/api/user/version/4/do/query',
      '/api/user/version/3/do/query',
      '/api/visitorActivity/version/3/do/query',
      '/api/visitorActivity/version/3/do/query',
    ]);
  });

  it('switches to v4 on 88 and fails on a second version error', async () => {
    const api = await setUp({
      api: (req) =>
        req.path.includes('/version/3/')
          ? { body: failBody(88, 'must use version 4') }
          : { body: failBody(89, 'unable') },
      options: { version: 3 },
    });

    const error = await api.connect().catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'PARDOT_WRONG_VERSION', pardotCode: 89 });
    expect(apiCalls().map((r) => r.path)).toEqual([
      '/api/user/version/3/do/query',
      '/api/user/version/4/do/query',
    ]);
  });
});

describe('PardotClient quota', () => {
  it('refuses calls beyond the daily budget before spending them', async () => {
    const api = await setUp({
      api: ok,
      options: { dailyBudget: 3, clock: { now: () => Date.parse('2024-07-01T15:00:00Z') } },
    });

    await api.query('visitorActivity', {});
    await api.query('visitorActivity', {});
    const error = await api.query('visitorActivity', {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(QuotaError);
    expect((error as QuotaError).resetsAtMs).toBe(Date.parse('2024-07-02T04:00:00Z'));
    expect(apiCalls()).toHaveLength(3);
    expect(api.calls).toBe(3);
  });

  it('starts a new budget on the next account day', async () => {
    let now = Date.parse('2024-07-02T03:59:00Z');
    const api = await setUp({ api: ok, options: { dailyBudget: 2, clock: { now: () => now } } });
    await api.query('visitorActivity', {});
    await expect(api.query('visitorActivity', {})).rejects.toBeInstanceOf(QuotaError);

    now = Date.parse('2024-07-02T04:00:00Z');

    await expect(api.query('visitorActivity', {})).resolves.toMatchObject({
      rows: [expect.any(Object)],
    });
  });
});

describe('PardotClient OAuth faults', () => {
  it('retries a failing token endpoint, then gives up with the cause', async () => {
    const api = await setUp({ api: ok, oauth: () => ({ status: 503, body: '' }) });

    const error = await api.connect().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error).toMatchObject({ operation: 'oauth.token', attempt: 6, status: 503 });
    expect(tokenCalls()).toHaveLength(6);
    expect(apiCalls()).toHaveLength(0);
  });

  it('stops waiting when the caller aborts', async () => {
    const api = await setUp({ api: (req) => (req.path === QUERY ? { status: 500 } : ok()) });
    await api.connect();
    const controller = new AbortController();
    const sleeps: number[] = [];
    api.on('retry', (e) => {
      sleeps.push(e.attempt);
      controller.abort(new Error('stopped by the caller'));
    });

    const error = await api
      .query('visitorActivity', {}, { signal: controller.signal })
      .catch((e: unknown) => e);

    expect((error as Error).message).toBe('stopped by the caller');
    expect(sleeps).toEqual([1]);
  });
});
