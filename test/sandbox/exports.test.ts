import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startSandbox, type Sandbox } from '../../src/sandbox';
import { call, NOW } from './helpers';

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox({ nowMs: NOW, historyDays: 20, visitorActivitiesPerDay: 200 });
});
afterEach(() => sandbox.close());

const CREATE = '/api/export/version/4/do/create?format=json';

function createBody(after: string, before: string, fields?: string[]) {
  return JSON.stringify({
    object: 'visitorActivity',
    fields,
    procedure: {
      name: 'filter_by_created_at',
      arguments: { created_after: after, created_before: before },
    },
  });
}

async function create(body: string) {
  return call(sandbox, CREATE, {
    method: 'POST',
    headers: { ...sandbox.authHeaders(), 'content-type': 'application/json' },
    body,
  });
}

async function read(id: number) {
  return (await call(sandbox, `/api/export/version/4/do/read/id/${id}?format=json`)).json().export;
}

describe('export API', () => {
  it('walks Waiting, Processing, Complete on the sandbox clock', async () => {
    sandbox.settings.exportQueueMs = 10_000;
    sandbox.settings.exportProcessingMs = 60_000;

    const created = (await create(createBody('2024-11-01 00:00:00', '2024-11-02 00:00:00'))).json()
      .export;
    const states = [created.state];
    sandbox.clock.advance(10_000);
    states.push((await read(created.id)).state);
    sandbox.clock.advance(60_000);
    const done = await read(created.id);
    states.push(done.state);

    expect(states).toEqual(['Waiting', 'Processing', 'Complete']);
    expect(done.isExpired).toBe(false);
    expect(typeof done.resultRefs).toBe('string');
    expect(done.createdAt).toBe('2024-11-05 10:00:00');
    expect(done.updatedAt).toBe('2024-11-05 10:01:10');
  });

  it('gives no resultRefs for no data, a string for one file and an array for three', async () => {
    sandbox.settings.exportProcessingMs = 1000;
    sandbox.settings.exportQueueMs = 0;
    const count = sandbox.truth.count('visitorActivity', {
      from: Date.UTC(2024, 10, 2, 4, 0, 1),
      to: Date.UTC(2024, 10, 3, 4),
    });
    sandbox.settings.exportRowsPerFile = Math.ceil(count / 3);

    const empty = (await create(createBody('2023-11-01', '2023-11-02'))).json().export;
    const three = (await create(createBody('2024-11-02 00:00:00', '2024-11-03 00:00:00'))).json()
      .export;
    sandbox.settings.exportRowsPerFile = 1_000_000;
    const one = (await create(createBody('2024-11-02 00:00:00', '2024-11-03 00:00:00'))).json()
      .export;
    sandbox.clock.advance(10_000);

    expect('resultRefs' in (await read(empty.id))).toBe(false);
    expect((await read(three.id)).resultRefs).toHaveLength(3);
    expect(typeof (await read(one.id)).resultRefs).toBe('string');
  });

  it('round-trips awkward text through CSV to the ground truth', async () => {
    sandbox.settings.exportQueueMs = 0;
    sandbox.settings.exportProcessingMs = 0;
    const awkward = ['He said "hi", then left', 'line one\nline two', '🚀 Crème, "brûlée"\r\nend'];
    const inserted = sandbox.insert(
      'visitorActivity',
      awkward.map((details, i) => ({
        type: 6,
        type_name: 'Email',
        details,
        visitor_id: 7,
        prospect_id: null,
        created_at: Date.UTC(2024, 10, 4, 12, 0, i),
      })),
    );
    sandbox.clock.advance(1000);

    const job = (
      await create(
        createBody('2024-11-04 06:59:59', '2024-11-04 07:01:00', [
          'id',
          'details',
          'prospect_id',
          'created_at',
        ]),
      )
    ).json().export;
    const ref = (await read(job.id)).resultRefs as string;
    const csv = await call(sandbox, ref.slice(sandbox.url.length));
    const rows = parse(csv.text, { columns: true }) as Array<Record<string, string>>;

    expect(csv.text.charCodeAt(0)).not.toBe(0xfeff);
    const wanted = sandbox.truth
      .list('visitorActivity', {
        from: Date.UTC(2024, 10, 4, 12, 0, 0),
        to: Date.UTC(2024, 10, 4, 12, 1, 0),
      })
      .map((r) => ({
        id: String(r.id),
        details: r.details,
        prospect_id: r.prospect_id === null ? '' : String(r.prospect_id),
        created_at: sandbox.account.time.format(+(r.created_at as Date)),
      }));
    expect(rows.sort((a, b) => +a.id - +b.id)).toEqual(wanted);
    expect(inserted.map((r) => r.details)).toEqual(awkward);
  });

  it('fails an export when told to, and expires one after seven days with 178', async () => {
    sandbox.settings.exportQueueMs = 0;
    sandbox.settings.exportProcessingMs = 1000;
    sandbox.settings.faults.exportFailed = 1;
    const failed = (await create(createBody('2024-11-01', '2024-11-02'))).json().export;
    sandbox.settings.faults.exportFailed = 0;
    const good = (await create(createBody('2024-11-01', '2024-11-02'))).json().export;
    sandbox.clock.advance(5000);
    const ref = (await read(good.id)).resultRefs as string;

    expect((await read(failed.id)).state).toBe('Failed');
    sandbox.clock.advance(7 * 86_400_000);
    const expired = await read(good.id);
    const download = await call(sandbox, `${ref.slice(sandbox.url.length)}?format=json`);

    expect(expired.isExpired).toBe(true);
    expect('resultRefs' in expired).toBe(false);
    expect(download.json()['@attributes'].err_code).toBe(178);
  });

  it('rejects bad procedures and arguments with codes 174 to 177', async () => {
    const body = (procedure: object) => JSON.stringify({ object: 'visitorActivity', procedure });
    const codes = [];
    for (const procedure of [
      { name: 'filter_by_nothing', arguments: {} },
      { name: 'filter_by_created_at', arguments: { created_after: '2024-01-01', colour: 'red' } },
      { name: 'filter_by_created_at', arguments: { created_before: '2024-01-01' } },
      { name: 'filter_by_created_at', arguments: { created_after: 'not a date' } },
      {
        name: 'filter_by_created_at',
        arguments: { created_after: '2022-01-01', created_before: '2024-01-01' },
      },
    ]) {
      codes.push((await create(body(procedure))).json()['@attributes'].err_code);
    }

    expect(codes).toEqual([174, 175, 176, 177, 177]);
  });

  it('serves v5 exports with the same engine and camelCase replies', async () => {
    sandbox.settings.exportQueueMs = 0;
    sandbox.settings.exportProcessingMs = 0;
    const res = await call(sandbox, '/api/v5/exports', {
      method: 'POST',
      headers: { ...sandbox.authHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({
        object: 'visitorActivity',
        fields: ['id', 'createdAt'],
        procedure: {
          name: 'filter_by_created_at',
          arguments: { created_after: '2024-11-04', created_before: '2024-11-05' },
        },
      }),
    });
    sandbox.clock.advance(1);
    const job = (await call(sandbox, `/api/v5/exports/${res.json().id}`)).json();
    const refs = Array.isArray(job.resultRefs) ? job.resultRefs : [job.resultRefs];
    const csv = await call(sandbox, refs[0].slice(sandbox.url.length));

    expect(res.status).toBe(201);
    expect(job.state).toBe('Complete');
    expect(job.createdAt).toBe('2024-11-05T10:00:00-05:00');
    expect(csv.text.split('\r\n')[0]).toBe('id,createdAt');
  });
});
