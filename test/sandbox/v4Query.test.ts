import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CATALOGUE, OBJECT_NAMES } from '../../src/pardot/catalogue';
import type { PardotRecord } from '../../src/pardot/types';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { call, NOW } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    nowMs: NOW,
    historyDays: 400,
    visitorActivitiesPerDay: 4,
    counts: { prospect: 300, visitor: 300, listMembership: 400, emailClick: 300, visit: 200 },
  });
});
afterAll(() => sandbox.close());

function url(object: string, params: Record<string, string | number>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) query.set(k, String(v));
  return `/api/${object}/version/4/do/query?${query}`;
}

const ms = (v: unknown) =>
  v instanceof Date ? +v : v === null || v === undefined ? -Infinity : (v as number | string);

function sortTruth(rows: PardotRecord[], field: string, descending: boolean): PardotRecord[] {
  return [...rows].sort((a, b) => {
    const x = ms(a[field]);
    const y = ms(b[field]);
    const c = x < y ? -1 : x > y ? 1 : (a.id as number) - (b.id as number);
    return descending ? -c : c;
  });
}

function rowsOf(body: any, rowKey: string): any[] {
  const rows = body.result?.[rowKey];
  if (rows === undefined) return [];
  return Array.isArray(rows) ? rows : [rows];
}

const visibleTruth = (object: string) =>
  sandbox.truth.list(object).filter((r) => object !== 'visitor' || r.prospect_id !== null);

const sortCases = OBJECT_NAMES.filter((o) => o !== 'visit').flatMap((object) =>
  // Sorts on fields that rows do not carry (a campaign's timestamps) cannot be checked here.
  Object.keys(CATALOGUE.get(object)!.sorts ?? { id: 'ascending' })
    .filter((field) => CATALOGUE.get(object)!.fields.some((f) => f.name === field))
    .flatMap((field) =>
      (['ascending', 'descending'] as const).map((order) => [object, field, order] as const),
    ),
);

describe('v4 query sorts', () => {
  it.each(sortCases)(
    '%s sorted by %s %s matches the ground truth',
    async (object, field, order) => {
      const spec = CATALOGUE.get(object)!;
      const params: Record<string, string | number> = {
        format: 'json',
        output: 'bulk',
        limit: 200,
        sort_order: order,
      };
      if (spec.sorts) params.sort_by = field;
      if (object === 'visitor') params.only_identified = 'false';

      const res = await call(sandbox, url(object, params));

      const expected = sortTruth(sandbox.truth.list(object), field, order === 'descending').slice(
        0,
        200,
      );
      expect(rowsOf(res.json(), spec.rowKey).map((r) => r.id)).toEqual(expected.map((r) => r.id));
    },
  );
});

const timeCases = OBJECT_NAMES.filter((o) => o !== 'visit').flatMap((object) => {
  const spec = CATALOGUE.get(object)!;
  const out: Array<[string, 'created' | 'updated' | 'id']> = [];
  if (spec.created && spec.fields.some((f) => f.name === 'created_at'))
    out.push([object, 'created']);
  if (spec.updated && spec.fields.some((f) => f.name === 'updated_at'))
    out.push([object, 'updated']);
  if (spec.id) out.push([object, 'id']);
  return out;
});

describe('v4 query filters', () => {
  it.each(timeCases)(
    '%s filtered by %s counts exactly the strict range',
    async (object, family) => {
      const spec = CATALOGUE.get(object)!;
      const all = visibleTruth(object);
      const field = family === 'id' ? 'id' : `${family}_at`;
      const sorted = sortTruth(all, field, false);
      const lo = sorted[Math.floor(sorted.length / 4)];
      const hi = sorted[Math.floor((sorted.length * 3) / 4)];
      const params: Record<string, string | number> = {
        format: 'json',
        output: 'simple',
        limit: 1,
      };
      if (object === 'visitor') params.only_identified = 'true';
      const time = sandbox.account.time;
      if (family === 'id') {
        params.id_greater_than = lo.id as number;
        if (!spec.idGreaterOnly) params.id_less_than = hi.id as number;
      } else {
        params[`${family}_after`] = time.format(+(lo[field] as Date));
        params[`${family}_before`] = time.format(+(hi[field] as Date));
      }

      const res = await call(sandbox, url(object, params));

      const inside = all.filter((r) => {
        const v = ms(r[field]) as number;
        const open = family === 'id' && spec.idGreaterOnly;
        return v > (ms(lo[field]) as number) && (open || v < (ms(hi[field]) as number));
      });
      expect(res.json().result.total_results).toBe(inside.length);
    },
  );

  it('applies object filters: type, list_id, score and name', async () => {
    const lists = sandbox.truth.list('listMembership');
    const prospects = sandbox.truth.list('prospect');
    const activities = sandbox.truth.list('visitorActivity', { from: Date.UTC(2024, 9, 1) });
    const name = sandbox.truth.list('list')[3].name as string;
    const total = async (object: string, params: Record<string, string | number>) =>
      (
        await call(sandbox, url(object, { format: 'json', output: 'simple', limit: 1, ...params }))
      ).json().result.total_results;

    expect(
      await total('visitorActivity', { type: '6,11', created_after: '2024-10-01 00:00:00' }),
    ).toBe(
      activities.filter((r) => r.type === 6 || r.type === 11).length -
        activities.filter(
          (r) =>
            (r.type === 6 || r.type === 11) &&
            +(r.created_at as Date) < Date.UTC(2024, 9, 1, 4, 0, 1),
        ).length,
    );
    expect(await total('listMembership', { list_id: lists[0].list_id as number })).toBe(
      lists.filter((r) => r.list_id === lists[0].list_id).length,
    );
    expect(await total('prospect', { score_greater_than: 150 })).toBe(
      prospects.filter((r) => (r.score as number) > 150).length,
    );
    expect(await total('list', { name })).toBe(
      sandbox.truth.list('list').filter((r) => r.name === name).length,
    );
  });

  it('reads *_after strictly by default and inclusively when set', async () => {
    const second = Date.UTC(2024, 10, 4, 17, 30, 0);
    sandbox.insert(
      'visitorActivity',
      Array.from({ length: 3 }, () => ({ type: 2, visitor_id: 1, created_at: second })),
    );
    const params = {
      format: 'json',
      output: 'simple',
      limit: 1,
      created_after: '2024-11-04 12:30:00',
      created_before: '2024-11-04 12:30:00',
    };
    const around = {
      ...params,
      created_after: '2024-11-04 12:29:59',
      created_before: '2024-11-04 12:30:01',
    };

    const strict = (await call(sandbox, url('visitorActivity', params))).json().result
      .total_results;
    const strictAround = (await call(sandbox, url('visitorActivity', around))).json().result
      .total_results;
    sandbox.settings.inclusiveFilters = true;
    const inclusive = (await call(sandbox, url('visitorActivity', params))).json().result
      .total_results;
    sandbox.settings.inclusiveFilters = false;

    const atSecond = sandbox.truth.count('visitorActivity', { from: second, to: second + 1000 });
    expect(strict).toBe(0);
    expect(inclusive).toBe(atSecond);
    expect(strictAround).toBe(atSecond);
  });
});

describe('v4 row cardinality', () => {
  const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false });

  it('renders zero, one and many rows in JSON and XML', async () => {
    sandbox.insert('tag', [{ name: 'solo tag' }, { name: 'twin tag' }, { name: 'twin tag' }]);
    const get = (name: string, format: string, output = 'simple') =>
      call(sandbox, url('tag', { name, format, output }));

    expect((await get('no such tag', 'json')).json().result).toEqual({ total_results: 0 });
    expect((await get('no such tag', 'json', 'bulk')).json().result).toBe(null);
    expect((await get('no such tag', 'xml', 'bulk')).text).toContain(
      '<rsp stat="ok" version="1.0"><result/></rsp>',
    );
    expect((await get('solo tag', 'json')).json().result.tag.name).toBe('solo tag');
    expect((await get('twin tag', 'json')).json().result.tag).toHaveLength(2);
    expect(xml.parse((await get('solo tag', 'xml')).text).rsp.result.tag.name).toBe('solo tag');
    expect(xml.parse((await get('twin tag', 'xml')).text).rsp.result.tag).toHaveLength(2);
    expect((await get('no such tag', 'xml')).text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<rsp stat="ok" version="1.0"><result><total_results>0</total_results></result></rsp>\n',
    );
  });

  it('renders nested page views as absent, one object or an array', async () => {
    const visits = sandbox.insert(
      'visit',
      [0, 1, 2].map((n) => ({ visitor_id: 1, visitor_page_view_count: n })),
    );
    const get = async (i: number) =>
      (await call(sandbox, url('visit', { ids: visits[i].id as number, format: 'json' }))).json()
        .result.visit;
    const getXml = async (i: number) =>
      xml.parse((await call(sandbox, url('visit', { ids: visits[i].id as number }))).text).rsp
        .result.visit;

    expect('visitor_page_views' in (await get(0))).toBe(false);
    expect(Array.isArray((await get(1)).visitor_page_views.visitor_page_view)).toBe(false);
    expect((await get(2)).visitor_page_views.visitor_page_view).toHaveLength(2);
    expect(Array.isArray((await getXml(1)).visitor_page_views.visitor_page_view)).toBe(false);
    expect((await getXml(2)).visitor_page_views.visitor_page_view).toHaveLength(2);
  });

  it('renders a multi-value custom field as nested values in XML and an array in JSON', async () => {
    const [p] = sandbox.insert('prospect', [
      { email: 'multi@example.com', Interests: ['Email', 'AI, ML'] },
    ]);

    const json = (
      await call(
        sandbox,
        url('prospect', { format: 'json', id_greater_than: (p.id as number) - 1 }),
      )
    ).json();
    const text = (await call(sandbox, url('prospect', { id_greater_than: (p.id as number) - 1 })))
      .text;

    expect(json.result.prospect.Interests).toEqual(['Email', 'AI, ML']);
    expect(text).toContain('<Interests><value>Email</value><value>AI, ML</value></Interests>');
  });
});

describe('v4 time zones', () => {
  it('renders both passes of the repeated autumn hour with the same wall time', async () => {
    const rows = sandbox.insert('visitorActivity', [
      { type: 2, visitor_id: 1, created_at: Date.UTC(2024, 10, 3, 5, 30) },
      { type: 2, visitor_id: 1, created_at: Date.UTC(2024, 10, 3, 6, 30) },
    ]);
    const res = await call(
      sandbox,
      url('visitorActivity', {
        format: 'json',
        output: 'bulk',
        sort_by: 'id',
        id_greater_than: (rows[0].id as number) - 1,
        id_less_than: (rows[1].id as number) + 1,
      }),
    );

    expect(
      res.json().result.visitor_activity.map((r: { created_at: string }) => r.created_at),
    ).toEqual(['2024-11-03 01:30:00', '2024-11-03 01:30:00']);
  });

  it('generates rows on both sides of each DST change and filters by local wall time', async () => {
    const autumn = sandbox.truth.list('visitorActivity', {
      from: Date.UTC(2024, 10, 3, 5),
      to: Date.UTC(2024, 10, 3, 7),
    });
    const spring = sandbox.truth.list('visitorActivity', {
      from: Date.UTC(2024, 2, 10, 6),
      to: Date.UTC(2024, 2, 10, 8),
    });
    const springRes = await call(
      sandbox,
      url('visitorActivity', {
        format: 'json',
        output: 'simple',
        limit: 1,
        created_after: '2024-03-10 00:59:59',
        created_before: '2024-03-10 04:00:00',
      }),
    );

    expect(
      autumn.filter((r) => +(r.created_at as Date) < Date.UTC(2024, 10, 3, 6)).length,
    ).toBeGreaterThan(0);
    expect(
      autumn.filter((r) => +(r.created_at as Date) >= Date.UTC(2024, 10, 3, 6)).length,
    ).toBeGreaterThan(0);
    expect(springRes.json().result.total_results).toBe(spring.length);
  });

  it('reads date keywords on the sandbox clock in the account zone', async () => {
    const res = await call(
      sandbox,
      url('visitorActivity', {
        format: 'json',
        output: 'simple',
        limit: 1,
        created_after: 'yesterday',
        created_before: 'today',
      }),
    );

    const day = sandbox.truth.count('visitorActivity', {
      from: Date.UTC(2024, 10, 4, 5, 0, 1),
      to: Date.UTC(2024, 10, 5, 5),
    });
    expect(res.json().result.total_results).toBe(day);
  });

  it('gives the API user a timezone field in full output', async () => {
    const res = await call(sandbox, url('user', { format: 'json', sort_by: 'id', limit: 1 }));

    expect(res.json().result.user.timezone).toBe('America/New_York');
  });
});

describe('v4 query errors', () => {
  const err = async (object: string, params: Record<string, string | number>) => {
    const body = (await call(sandbox, url(object, { format: 'json', ...params }))).json();
    return [body['@attributes'].err_code, body.err];
  };

  it('answers codes 5, 7, 8, 19, 20 and 23', async () => {
    expect((await err('list', { colour: 'red' }))[0]).toBe(5);
    expect((await err('list', { created_after: 'next tuesday-ish' }))[0]).toBe(7);
    expect(
      (await err('list', { created_after: '2024-02-01', created_before: '2024-01-01' }))[0],
    ).toBe(8);
    expect((await err('list', { sort_by: 'colour' }))[0]).toBe(19);
    expect((await err('list', { sort_order: 'sideways' }))[0]).toBe(20);
    expect((await err('list', { limit: 500 }))[0]).toBe(23);
  });

  it('repeats code 10000 per bad parameter', async () => {
    const json = await err('visitorActivity', { id_greater_than: 'x', id_less_than: 'y' });
    const xml = (
      await call(sandbox, url('visitorActivity', { id_greater_than: 'x', id_less_than: 'y' }))
    ).text;

    expect(json).toEqual([10000, ['Invalid id_greater_than', 'Invalid id_less_than']]);
    expect(xml).toContain(
      '<err code="10000" param="id_greater_than">Invalid id_greater_than</err><err code="10000" param="id_less_than">Invalid id_less_than</err>',
    );
  });

  it('requires ids, visitor_ids or prospect_ids on visit', async () => {
    expect(await err('visit', {})).toEqual([
      10000,
      'One of ids, visitor_ids, prospect_ids is required',
    ]);
  });
});
