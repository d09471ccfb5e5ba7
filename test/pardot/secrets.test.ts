import { generateKeyPairSync } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import { createLogger } from '../../src/log';
import { clientConfigFromEnv } from '../../src/pardot/clientConfigFromEnv';
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

const CLIENT_SECRET = 'CS-secret-7f3a9c';
const PASSWORD = 'PW-secret-1b2c3d';
const REFRESH = 'RT-secret-9e8d7c';
const TOKEN = 'AT-secret-5a4b3c';
const PEM = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const PEM_LINE = PEM.split('\n')[1];
const SECRETS = [CLIENT_SECRET, PASSWORD, REFRESH, TOKEN, PEM_LINE];

/** A server reply that repeats the token and the client secret (some proxies do). */
const echo = `denied for ${TOKEN} ${CLIENT_SECRET} at https://x.test/p?access_token=${TOKEN}`;

let fake: FakeServer | undefined;
const clients: PardotClient[] = [];
const seen: string[] = [];

afterEach(async () => {
  seen.length = 0;
  for (const c of clients.splice(0)) await c.close();
  await fake?.close();
});

function record(error: unknown): void {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    seen.push(current.message, String(current), current.stack ?? '', JSON.stringify(current));
    current = current.cause;
  }
  if (!(error instanceof Error)) seen.push(`not an error: ${String(error)}`);
}

async function failing(
  api: (req: FakeRequest) => FakeReply,
  credentials: PardotCredentials,
  extra: Partial<PardotClientOptions> = {},
): Promise<PardotClient> {
  fake = await startFake((req) => {
    if (req.path === '/services/oauth2/token') {
      if (req.body.includes('grant_type=password')) {
        return {
          status: 400,
          body: JSON.stringify({ error: 'invalid_grant', error_description: `bad ${PASSWORD}` }),
        };
      }
      return { body: JSON.stringify({ access_token: TOKEN }) };
    }
    return api(req);
  });
  const client = new PardotClient({
    apiUrl: fake.url,
    loginUrl: fake.url,
    businessUnitId: BU,
    timezone: 'UTC',
    credentials,
    retry: { baseDelayMs: 1, tries: 2 },
    logger: createLogger('client', { level: 'debug', write: (line) => seen.push(line) }),
    ...extra,
  });
  for (const event of ['request', 'response', 'retry', 'refresh', 'version'] as const) {
    client.on(event, (payload: unknown) => seen.push(JSON.stringify(payload, errorFields)));
  }
  clients.push(client);
  return client;
}

function errorFields(_key: string, value: unknown): unknown {
  return value instanceof Error ? { message: value.message, stack: value.stack } : value;
}

const refresh: PardotCredentials = {
  kind: 'refreshToken',
  clientId: 'cid',
  clientSecret: CLIENT_SECRET,
  refreshToken: REFRESH,
};
const password: PardotCredentials = {
  kind: 'password',
  clientId: 'cid',
  clientSecret: CLIENT_SECRET,
  username: 'u@x',
  password: PASSWORD,
};
const jwt: PardotCredentials = {
  kind: 'jwt',
  clientId: 'cid',
  username: 'u@x',
  privateKeyPem: PEM,
};
const ready: PardotCredentials = { kind: 'accessToken', accessToken: TOKEN };

const PATHS: Array<
  [string, PardotCredentials, (req: FakeRequest) => FakeReply, Partial<PardotClientOptions>?]
> = [
  ['invalid_grant', password, () => ({ body: okBody('user', []) })],
  ['code 49 echoing secrets', refresh, () => ({ body: failBody(49, echo) })],
  ['code 10000', jwt, () => ({ body: failBody(10000, echo) })],
  ['184 twice', refresh, () => ({ status: 401, body: failBody(184, echo) })],
  ['184 on a ready token', ready, () => ({ status: 401, body: failBody(184, echo) })],
  ['5xx exhausted', refresh, () => ({ status: 500, body: echo })],
  ['truncated body', refresh, () => ({ body: okBody('user', [{ note: echo }]), cutAfter: 40 })],
  ['socket reset', jwt, () => ({ body: echo, cutAfter: 0 })],
  ['unreadable body', ready, () => ({ body: `<html>${echo}` })],
  ['quota 122', refresh, () => ({ body: failBody(122, echo) })],
  ['budget', refresh, () => ({ body: okBody('user', []) }), { dailyBudget: 1 }],
  [
    'v5 error',
    refresh,
    () => ({ status: 400, body: JSON.stringify({ code: 209, message: echo }) }),
  ],
  ['wrong version twice', refresh, () => ({ body: failBody(89, echo) })],
  [
    'timezone missing',
    refresh,
    () => ({ body: okBody('user', [{ id: 1 }]) }),
    { timezone: undefined },
  ],
  [
    'bad business unit',
    refresh,
    () => ({ body: okBody('user', []) }),
    { businessUnitId: `0Uv${PASSWORD}` },
  ],
];

describe('secrets', () => {
  it.each(PATHS)(
    'stay out of errors, logs and events: %s',
    async (_name, credentials, api, extra) => {
      const client = await failing(api, credentials, extra);

      for (const call of [
        () => client.connect(),
        () => client.query('campaign', { name: PASSWORD }),
        () => client.queryV5('prospect', { email: PASSWORD }),
        () => client.readExport(1),
        () => client.download(`/dl?token=${TOKEN}`),
        () => client.download(`https://evil.test/dl?token=${TOKEN}`),
      ]) {
        await call().then(() => undefined, record);
      }

      // A client given no client secret (JWT, ready token) cannot know to hide one it never saw.
      const known =
        'clientSecret' in credentials ? SECRETS : SECRETS.filter((x) => x !== CLIENT_SECRET);
      expect(seen.length).toBeGreaterThan(0);
      const leaks = seen.filter((text) => known.some((secret) => text.includes(secret)));
      expect(leaks).toEqual([]);
    },
  );

  it('stay out of configuration errors', () => {
    const envs = [
      { PARDOT_BUSINESS_UNIT_ID: PASSWORD, PARDOT_ACCESS_TOKEN: TOKEN },
      { PARDOT_ACCESS_TOKEN: TOKEN },
      { PARDOT_BUSINESS_UNIT_ID: BU, PARDOT_CLIENT_ID: 'c', PARDOT_CLIENT_SECRET: CLIENT_SECRET },
      {
        PARDOT_BUSINESS_UNIT_ID: BU,
        PARDOT_CLIENT_ID: 'c',
        PARDOT_USERNAME: 'u',
        PARDOT_PRIVATE_KEY_FILE: `/k/${PASSWORD}`,
      },
      { PARDOT_MAX_CONCURRENCY: PASSWORD },
    ];
    const messages: string[] = [];

    for (const env of envs) {
      try {
        clientConfigFromEnv(env, { readFile: () => `${PASSWORD} no key here` });
      } catch (error) {
        messages.push((error as Error).message);
      }
    }

    expect(messages).toHaveLength(5);
    expect(messages.filter((m) => SECRETS.some((s) => m.includes(s)))).toEqual([]);
  });
});
