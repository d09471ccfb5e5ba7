import { afterEach, describe, expect, it } from 'vitest';

import { FatalError } from '../../src/pardot/errors';
import { PardotClient, warningCodes } from '../../src/pardot/PardotClient';
import {
  BU,
  type FakeReply,
  type FakeRequest,
  failBody,
  okBody,
  startFake,
  type FakeServer,
} from './fakeServer';

let fake: FakeServer | undefined;
let client: PardotClient | undefined;

afterEach(async () => {
  await client?.close();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

async function setUp(
  api: (req: FakeRequest) => FakeReply | Promise<FakeReply>,
  version: 3 | 4 | 5 = 4,
  maxConcurrency = 5,
) {
  fake = await startFake((req) =>
    req.path.startsWith('/api/user/') ? { body: okBody('user', { id: 1 }) } : api(req),
  );
  client = new PardotClient({
    apiUrl: fake.url,
    businessUnitId: BU,
    timezone: 'UTC',
    version,
    maxConcurrency,
    credentials: { kind: 'accessToken', accessToken: 'token-abc' },
    retry: { baseDelayMs: 1 },
  });
  await client.connect();
  return client;
}

const EXPORT = {
  id: 42,
  state: 'Complete',
  isExpired: false,
  resultRefs: 'https://pi.pardot.com/f/1',
  createdAt: '2024-02-01 10:00:00',
};

describe('PardotClient exports', () => {
  it('creates a v4 export with a JSON body and reads a wrapped reply', async () => {
    const api = await setUp(() => ({
      body: JSON.stringify({ '@attributes': { stat: 'ok', version: 1 }, export: EXPORT }),
    }));

    const job = await api.createExport({
      object: 'visitorActivity',
      procedure: 'filter_by_created_at',
      arguments: { created_after: '2024-01-01 00:00:00' },
      fields: ['id', 'created_at'],
    });

    const sent = fake!.requests.at(-1)!;
    expect([
      sent.method,
      sent.path,
      sent.query.get('format'),
      sent.headers['content-type'],
    ]).toEqual(['POST', '/api/export/version/4/do/create', 'json', 'application/json']);
    expect(JSON.parse(sent.body)).toEqual({
      object: 'visitorActivity',
      fields: ['id', 'created_at'],
      procedure: {
        name: 'filter_by_created_at',
        arguments: { created_after: '2024-01-01 00:00:00' },
      },
    });
    expect(job).toEqual({
      id: 42,
      state: 'Complete',
      isExpired: false,
      resultRefs: ['https://pi.pardot.com/f/1'],
      createdAt: '2024-02-01 10:00:00',
    });
  });

  it('reads a bare reply with no links as an empty list', async () => {
    const api = await setUp(() => ({
      body: JSON.stringify({ id: 7, state: 'Processing', isExpired: false }),
    }));

    const job = await api.readExport(7);

    expect(fake!.requests.at(-1)!.path).toBe('/api/export/version/4/do/read/id/7');
    expect(job).toEqual({ id: 7, state: 'Processing', isExpired: false, resultRefs: [] });
  });

  it('uses /api/v5/exports with v5 field names on version 5', async () => {
    const api = await setUp(
      () => ({ body: JSON.stringify({ ...EXPORT, resultRefs: ['a', 'b'] }) }),
      5,
    );

    const job = await api.createExport({
      object: 'prospect',
      procedure: 'filter_by_updated_at',
      arguments: { updated_after: 'x' },
      fields: ['crm_lead_fid', 'first_name'],
    });

    const sent = fake!.requests.at(-1)!;
    expect([sent.path, JSON.parse(sent.body).fields]).toEqual([
      '/api/v5/exports',
      ['salesforceLeadId', 'firstName'],
    ]);
    expect(job.resultRefs).toEqual(['a', 'b']);
  });

  it('fails on code 178 without retrying', async () => {
    const api = await setUp(() => ({ status: 400, body: failBody(178, 'Export expired') }));

    await expect(api.readExport(9)).rejects.toMatchObject({
      code: 'PARDOT_BAD_REQUEST',
      pardotCode: 178,
      operation: 'export.read',
    });
    expect(fake!.requests.filter((r) => r.path.includes('export'))).toHaveLength(1);
  });
});

describe('PardotClient download', () => {
  it('streams a file with the auth headers and holds its slot until the end', async () => {
    const api = await setUp(
      (req) =>
        req.path === '/dl/1'
          ? {
              body: 'id,created_at\n1,2024-01-01 00:00:00\n',
              headers: { 'content-type': 'text/csv' },
            }
          : { body: okBody('campaign', { id: 1 }) },
      4,
      1,
    );

    const stream = await api.download('/dl/1');
    const inFlightWhileOpen = api.inFlight;
    const queued = api.query('campaign', {});
    await new Promise((r) => setImmediate(r));
    const queuedWhileOpen = api.queued;
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    await queued;

    expect([inFlightWhileOpen, queuedWhileOpen, api.inFlight]).toEqual([1, 1, 0]);
    expect(text).toBe('id,created_at\n1,2024-01-01 00:00:00\n');
    const sent = fake!.requests.find((r) => r.path === '/dl/1')!;
    expect([sent.headers.authorization, sent.headers['pardot-business-unit-id']]).toEqual([
      'Bearer token-abc',
      BU,
    ]);
  });

  it('gives the slot back when the stream is destroyed', async () => {
    const csv = { 'content-type': 'text/csv' };
    const api = await setUp(() => ({ body: 'x'.repeat(100_000), headers: csv }), 4, 1);

    const stream = await api.download('/dl/2');
    stream.destroy();
    await new Promise((r) => setImmediate(r));

    expect(api.inFlight).toBe(0);
  });

  it('retries a failed download and reports a Pardot error body', async () => {
    let n = 0;
    const api = await setUp(() =>
      ++n === 1 ? { status: 503, body: '' } : { status: 400, body: failBody(178, 'expired') },
    );

    await expect(api.download('/dl/3')).rejects.toMatchObject({
      pardotCode: 178,
      attempt: 2,
      operation: 'download',
    });
    expect(api.inFlight).toBe(0);
  });

  it('reads a fail body sent with HTTP 200 as an error, not as a file', async () => {
    const api = await setUp(() => ({ body: failBody(178, 'Export expired') }));

    await expect(api.download('/dl/4')).rejects.toMatchObject({ pardotCode: 178 });
    expect(api.inFlight).toBe(0);
  });

  it('refuses to send the token to another host', async () => {
    const api = await setUp(() => ({ body: '' }));

    await expect(api.download('https://evil.example.com/file')).rejects.toBeInstanceOf(FatalError);
  });
});

describe('PardotClient v5', () => {
  it('maps fields to v5 names, types rows and follows a relative next page', async () => {
    const page1 = {
      values: [{ id: 1, salesforceLeadId: 'L1', updatedAt: '2024-01-01T00:00:00-05:00' }],
      nextPageToken: 't2',
      nextPageUrl: '/api/v5/objects/prospects?nextPageToken=t2',
    };
    const page2 = { values: [], nextPageToken: null, nextPageUrl: null };
    const warning = '203;Record count for nextPageToken sequence has been exceeded, restart';
    const api = await setUp((req): FakeReply => {
      if (!req.query.get('nextPageToken')) return { body: JSON.stringify(page1) };
      return { body: JSON.stringify(page2), headers: { 'pardot-warning': warning } };
    });

    const first = await api.queryV5('prospect', {
      fields: 'id,crm_lead_fid,updated_at',
      limit: 1000,
    });
    const second = await api.nextV5('prospect', first.nextPageUrl!);

    const sent = fake!.requests.filter((r) => r.path.startsWith('/api/v5/'));
    expect(sent[0].query.get('fields')).toBe('id,salesforceLeadId,updatedAt');
    expect(sent[0].query.get('limit')).toBe('1000');
    expect(first).toEqual({
      rows: [{ id: 1, crm_lead_fid: 'L1', updated_at: new Date('2024-01-01T05:00:00Z') }],
      nextPageToken: 't2',
      nextPageUrl: '/api/v5/objects/prospects?nextPageToken=t2',
      warnings: [],
    });
    expect(second).toEqual({ rows: [], nextPageToken: null, nextPageUrl: null, warnings: [203] });
  });

  it('turns a v5 error body into a typed error', async () => {
    const api = await setUp(() => ({
      status: 400,
      body: JSON.stringify({ code: 209, message: 'too many filters' }),
    }));

    await expect(api.queryV5('prospect', {})).rejects.toMatchObject({
      code: 'PARDOT_BAD_REQUEST',
      pardotCode: 209,
      status: 400,
    });
  });

  it('reads several warning codes from one header', () => {
    expect(warningCodes('201;in recycle bin, 202;values redacted, by rules')).toEqual([201, 202]);
    expect(warningCodes(undefined)).toEqual([]);
  });
});
