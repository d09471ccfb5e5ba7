import { afterEach, describe, expect, it } from 'vitest';

import { AuthError, QuotaError } from '../../src/pardot/errors';
import { PardotClient, type PardotClientOptions } from '../../src/pardot/PardotClient';
import type { PardotCredentials } from '../../src/pardot/TokenSource';
import type { PardotRecord } from '../../src/pardot/types';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox';

const NOW = Date.parse('2024-11-20T17:00:00Z');
const HOUR = 3_600_000;

const opened: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  while (opened.length > 0) await opened.pop()!.close();
});

async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sb = await startSandbox({
    nowMs: NOW,
    historyDays: 300,
    visitorActivitiesPerDay: 400,
    ...options,
  });
  opened.push(sb);
  return sb;
}

function clientFor(sb: Sandbox, extra: Partial<PardotClientOptions> = {}): PardotClient {
  const client = new PardotClient({
    apiUrl: sb.url,
    loginUrl: sb.loginUrl,
    businessUnitId: sb.businessUnitId,
    credentials: { kind: 'password', ...sb.credentials },
    clock: sb.clock,
    retry: { baseDelayMs: 1, random: () => 0.5 },
    ...extra,
  });
  opened.unshift(client);
  return client;
}

/** Every row of [fromMs, toMs) by created_at, paged by id as the query source does. */
async function pullAll(client: PardotClient, object: string, fromMs: number, toMs: number) {
  const rows: PardotRecord[] = [];
  let lastId = 0;
  for (;;) {
    const page = await client.query(object, {
      created_after: client.time.format(fromMs - 1000),
      created_before: client.time.format(toMs),
      id_greater_than: lastId || undefined,
      sort_by: 'id',
      sort_order: 'ascending',
      limit: 200,
    });
    rows.push(...page.rows);
    if (page.rows.length < 200) return rows;
    lastId = page.rows[page.rows.length - 1].id as number;
  }
}

/** The client reads an empty multi-value list as null (see RecordTyper). */
const emptyListsAsNull = (r: PardotRecord): PardotRecord =>
  Object.fromEntries(
    Object.entries(r).map(([k, v]) => [k, Array.isArray(v) && v.length === 0 ? null : v]),
  );

/** XML 1.0 (section 2.11) turns a raw CR or CRLF into LF; a CR survives only as `&#13;`. */
const crAsXmlReadsIt = (r: PardotRecord): PardotRecord =>
  Object.fromEntries(
    Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v]),
  );

const ids = (rows: PardotRecord[]) => rows.map((r) => r.id as number);

describe('PardotClient against the sandbox: auth', () => {
  it.each(['password', 'refreshToken', 'jwt', 'accessToken'] as const)(
    'connects with the %s flow',
    async (kind) => {
      const sb = await sandbox();
      const c = sb.credentials;
      const credentials: Record<typeof kind, PardotCredentials> = {
        password: {
          kind: 'password',
          clientId: c.clientId,
          clientSecret: c.clientSecret,
          username: c.username,
          password: c.password,
        },
        refreshToken: {
          kind: 'refreshToken',
          clientId: c.clientId,
          clientSecret: c.clientSecret,
          refreshToken: c.refreshToken,
        },
        jwt: {
          kind: 'jwt',
          clientId: c.clientId,
          username: c.username,
          privateKeyPem: c.privateKeyPem,
        },
        accessToken: { kind: 'accessToken', accessToken: sb.issueToken() },
      };
      const client = clientFor(sb, { credentials: credentials[kind] });

      await client.connect();
      const page = await client.query('campaign', { sort_by: 'id', limit: 5 });

      expect(client.time.zone).toBe('America/New_York');
      expect(ids(page.rows)).toEqual(ids(sb.truth.list('campaign').slice(0, 5)));
    },
  );

  it('reports invalid_grant for a wrong password', async () => {
    const sb = await sandbox();
    const client = clientFor(sb, {
      credentials: { kind: 'password', ...sb.credentials, password: 'wrong' },
    });

    const error = await client.connect().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('(invalid_grant)');
  });

  it.each([401, 400])(
    'shares one refresh among 10 requests whose token expired (184, HTTP %i)',
    async (status) => {
      const sb = await sandbox({ settings: { status184: status } });
      const client = clientFor(sb);
      await client.connect();
      sb.oauth.revokeAll();
      sb.log.clear();

      const pages = await Promise.all(
        Array.from({ length: 10 }, () => client.query('campaign', { limit: 1 })),
      );

      expect(pages.map((p) => p.rows.length)).toEqual(Array(10).fill(1));
      expect(sb.log.entries.filter((e) => e.kind === 'oauth')).toHaveLength(1);
      expect(sb.log.entries.filter((e) => e.pardotCode === 184).length).toBeGreaterThan(0);
    },
  );

  it('fails when the fresh token is rejected too', async () => {
    const sb = await sandbox({ settings: { tokenLifetimeMs: 0 } });
    const client = clientFor(sb);

    const error = await client.connect().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ pardotCode: 184, operation: 'query', object: 'user' });
    expect(sb.log.entries.map((e) => e.kind)).toEqual(['oauth', 'query', 'oauth', 'query']);
  });

  it('explains a wrong business unit (201)', async () => {
    const sb = await sandbox();
    const client = clientFor(sb, { businessUnitId: '0Uv000000000000XYZ' });

    await expect(client.connect()).rejects.toThrow('https://pi.demo.pardot.com');
  });

  it('switches to v3 when the account is not AMPSEA (89)', async () => {
    const sb = await sandbox({ settings: { apiVersion: 3 } });
    const client = clientFor(sb);

    await client.connect();

    expect(client.version).toBe(3);
  });
});

describe('PardotClient against the sandbox: limits', () => {
  it('never has more than 5 requests in flight under a 50-request burst', async () => {
    const sb = await sandbox({ settings: { latencyMs: 15 } });
    const client = clientFor(sb);
    await client.connect();
    sb.log.clear();
    let peakQueued = 0;
    client.on('request', () => (peakQueued = Math.max(peakQueued, client.queued)));

    await Promise.all(Array.from({ length: 50 }, () => client.query('campaign', { limit: 1 })));

    expect(sb.log.calls).toBe(50);
    expect(sb.log.maxInFlight).toBe(5);
    expect(sb.log.entries.filter((e) => e.pardotCode === 66)).toHaveLength(0);
    expect(peakQueued).toBe(45);
  });

  it('stops on code 122 with the account midnight', async () => {
    const sb = await sandbox();
    const client = clientFor(sb);
    await client.connect();
    sb.settings.dailyQuota = sb.quotaUsedToday() + 1;

    await client.query('campaign', { limit: 1 });
    const error = await client.query('campaign', { limit: 1 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(QuotaError);
    expect(error).toMatchObject({
      pardotCode: 122,
      resetsAtMs: Date.parse('2024-11-21T05:00:00Z'),
      attempt: 1,
    });
  });

  it('stops before the sandbox sees a call beyond the budget', async () => {
    const sb = await sandbox();
    const client = clientFor(sb, { dailyBudget: 3 });
    await client.connect();

    await client.query('campaign', { limit: 1 });
    await client.query('campaign', { limit: 1 });
    const error = await client.query('campaign', { limit: 1 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(QuotaError);
    expect(sb.log.calls).toBe(3);
  });

  it('loses and repeats no row with 10% of requests faulted', async () => {
    const faults = {
      exportFailed: 0,
      oauth: false,
      http500: 0.02,
      http502: 0.02,
      http503: 0.02,
      http504: 0.02,
      socketClose: 0.01,
      truncatedBody: 0.01,
    };
    const sb = await sandbox({ settings: { faults } });
    const client = clientFor(sb, { timezone: 'America/New_York' });
    const from = Date.parse('2024-11-10T05:00:00Z');
    const to = from + 2 * 24 * HOUR;
    let retries = 0;
    client.on('retry', () => (retries += 1));

    const rows = await pullAll(client, 'visitorActivity', from, to);

    expect(rows).toEqual(sb.truth.list('visitorActivity', { from, to }));
    expect(retries).toBeGreaterThan(0);
  });
});

describe('PardotClient against the sandbox: records', () => {
  it('gives identical records from XML and JSON, equal to the truth', async () => {
    const sb = await sandbox({ counts: { prospect: 120 } });
    const json = clientFor(sb, { format: 'json' });
    const xml = clientFor(sb, { format: 'xml' });
    const from = Date.parse('2024-11-18T05:00:00Z');

    const [pj, px] = await Promise.all([
      json.query('prospect', { sort_by: 'id', limit: 200 }),
      xml.query('prospect', { sort_by: 'id', limit: 200 }),
    ]);
    const [aj, ax] = await Promise.all([
      pullAll(json, 'visitorActivity', from, from + 24 * HOUR),
      pullAll(xml, 'visitorActivity', from, from + 24 * HOUR),
    ]);

    expect(pj.rows).toEqual(sb.truth.list('prospect').map(emptyListsAsNull));
    expect(px.rows).toEqual(pj.rows.map(crAsXmlReadsIt));
    expect(ax).toEqual(aj.map(crAsXmlReadsIt));
    expect(aj).toEqual(sb.truth.list('visitorActivity', { from, to: from + 24 * HOUR }));
  });

  it('types a one-row and a zero-row page in both formats', async () => {
    const sb = await sandbox();
    const results = [];
    for (const format of ['json', 'xml'] as const) {
      const client = clientFor(sb, { format });
      results.push((await client.query('campaign', { sort_by: 'id', limit: 1 })).rows.length);
      results.push((await client.query('campaign', { id_greater_than: 99_999_999 })).rows.length);
    }

    expect(results).toEqual([1, 0, 1, 0]);
  });

  it.each([
    ['America/New_York', '2024-03-10', '2024-11-03'],
    ['Europe/Berlin', '2024-03-31', '2024-10-27'],
  ])('converts both DST days in %s', async (zone, spring, autumn) => {
    const sb = await sandbox({ timezone: zone, visitorActivitiesPerDay: 150 });
    const client = clientFor(sb);
    await client.connect();
    const day = (iso: string) =>
      [client.time.dayStart(iso), client.time.dayStart(iso) + 30 * HOUR] as const;
    const [springFrom, springTo] = [day(spring)[0], client.time.startOfDay(day(spring)[1])];
    const [autumnFrom, autumnTo] = [day(autumn)[0], client.time.startOfDay(day(autumn)[1])];

    const springRows = await pullAll(client, 'visitorActivity', springFrom, springTo);
    const autumnRows = await pullAll(client, 'visitorActivity', autumnFrom, autumnTo);

    expect(springTo - springFrom).toBe(23 * HOUR);
    expect(autumnTo - autumnFrom).toBe(25 * HOUR);
    expect(springRows).toEqual(
      sb.truth.list('visitorActivity', { from: springFrom, to: springTo }),
    );
    // A naive time in the repeated hour names two instants; it reads as the earlier one.
    const secondPass = (ms: number) => client.time.offsetAt(ms) < client.time.offsetAt(ms - HOUR);
    const expected = sb.truth
      .list('visitorActivity', { from: autumnFrom, to: autumnTo })
      .map((r) => {
        const at = +(r.created_at as Date);
        const shift = (d: Date) => (secondPass(+d) ? new Date(+d - HOUR) : d);
        return { ...r, created_at: shift(new Date(at)), updated_at: shift(r.updated_at as Date) };
      });
    expect(autumnRows).toEqual(expected);
    expect(autumnRows.some((r) => secondPass(+(r.created_at as Date) + HOUR))).toBe(true);
  });
});
