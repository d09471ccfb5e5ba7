import { afterEach, describe, expect, it } from 'vitest';

import { PardotClient, type PardotClientOptions } from '../../src/pardot/PardotClient';
import {
  BU,
  type FakeReply,
  type FakeRequest,
  failBody,
  okBody,
  startFake,
  type FakeServer,
} from './fakeServer';

const USERS = okBody('user', { id: 1, email: 'api@example.com', timezone: 'America/New_York' });

let fake: FakeServer | undefined;
let client: PardotClient | undefined;

afterEach(async () => {
  await client?.close();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

async function setUp(
  handle: (req: FakeRequest) => FakeReply | undefined,
  extra: Partial<PardotClientOptions> = {},
): Promise<PardotClient> {
  fake = await startFake((req) => {
    if (req.path === '/services/oauth2/token') {
      return { body: JSON.stringify({ access_token: 'tok-1', token_type: 'Bearer' }) };
    }
    const reply = handle(req);
    if (reply) return reply;
    if (req.path.startsWith('/api/user/')) return { body: USERS };
    return { status: 404, body: '' };
  });
  client = new PardotClient({
    apiUrl: fake.url,
    loginUrl: fake.url,
    businessUnitId: BU,
    credentials: { kind: 'accessToken', accessToken: 'ready-token' },
    retry: { baseDelayMs: 1, random: () => 0.5 },
    ...extra,
  });
  return client;
}

describe('PardotClient', () => {
  it('reads the zone from the API user and types a bulk JSON page', async () => {
    const api = await setUp((req) =>
      req.path === '/api/visitorActivity/version/4/do/query'
        ? {
            body: okBody('visitor_activity', [
              { id: 5, type: 2, created_at: '2024-07-01 10:00:00' },
            ]),
          }
        : undefined,
    );

    const page = await api.query('visitorActivity', { created_after: '2024-07-01' });

    expect(api.time.zone).toBe('America/New_York');
    expect(page.rows).toEqual([{ id: 5, type: 2, created_at: new Date('2024-07-01T14:00:00Z') }]);
    const sent = fake!.requests.at(-1)!;
    expect(sent.query.get('output')).toBe('bulk');
    expect(sent.query.get('format')).toBe('json');
    expect(sent.headers.authorization).toBe('Bearer ready-token');
    expect(sent.headers['pardot-business-unit-id']).toBe(BU);
  });

  it('stops on code 122 with the next account midnight', async () => {
    const now = Date.parse('2024-07-01T15:00:00Z');
    const api = await setUp(
      (req) =>
        req.path.includes('visitor')
          ? { status: 429, body: failBody(122, 'Daily limit') }
          : undefined,
      { clock: { now: () => now } },
    );

    const error = await api.query('visitorActivity', {}).catch((e: unknown) => e);

    expect(error).toMatchObject({
      code: 'PARDOT_QUOTA',
      pardotCode: 122,
      resetsAtMs: Date.parse('2024-07-02T04:00:00Z'),
    });
  });
});
