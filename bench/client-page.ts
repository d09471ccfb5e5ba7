/**
 * CPU cost of the Pardot client per 200-row page (target under 2 ms).
 *
 * 1. End to end: the sandbox runs in a child process, so `process.cpuUsage()` here counts only
 *    the client (HTTP, governor, JSON parse, typing, timestamp conversion) over N pages of
 *    visitor activities paged by id, JSON and XML.
 * 2. Parse and type only: the same work on bodies captured once, without HTTP.
 *
 * Run: npx ts-node bench/client-page.ts [pages=300]
 */
import { fork } from 'node:child_process';

import { readLegacyEnvelope, rowsOf } from '../src/pardot/legacyEnvelope';
import { LocalTime } from '../src/pardot/LocalTime';
import { PardotClient } from '../src/pardot/PardotClient';
import { RecordTyper } from '../src/pardot/RecordTyper';

interface Served {
  url: string;
  businessUnitId: string;
  token: string;
}

const NOW = Date.UTC(2024, 10, 5, 15);

async function serve(): Promise<void> {
  const { startSandbox } = require('../src/sandbox') as typeof import('../src/sandbox');
  const sandbox = await startSandbox({ nowMs: NOW });
  const served: Served = {
    url: sandbox.url,
    businessUnitId: sandbox.businessUnitId,
    token: sandbox.issueToken(),
  };
  process.send?.(served);
  process.on('disconnect', () => void sandbox.close().then(() => process.exit(0)));
}

function startChild(): Promise<{ served: Served; stop: () => void }> {
  const child = fork(__filename, ['--serve'], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
  });
  return new Promise((resolve) =>
    child.once('message', (served) =>
      resolve({ served: served as Served, stop: () => child.disconnect() }),
    ),
  );
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

async function endToEnd(served: Served, format: 'json' | 'xml', pages: number): Promise<number> {
  const client = new PardotClient({
    apiUrl: served.url,
    businessUnitId: served.businessUnitId,
    credentials: { kind: 'accessToken', accessToken: served.token },
    format,
  });
  await client.connect();
  const page = (after: number) =>
    client.query('visitorActivity', {
      created_after: '2024-06-01',
      sort_by: 'id',
      sort_order: 'ascending',
      limit: 200,
      id_greater_than: after,
    });

  let after = 0;
  for (let i = 0; i < 20; i += 1) after = (await page(after)).rows.at(-1)!.id as number;
  const start = process.cpuUsage();
  for (let i = 0; i < pages; i += 1) after = (await page(after)).rows.at(-1)!.id as number;
  const perPage = cpuMs(start) / pages;
  await client.close();
  return perPage;
}

async function capture(served: Served, format: 'json' | 'xml'): Promise<string> {
  const query = `format=${format}&output=bulk&limit=200&created_after=2024-06-01&sort_by=id`;
  const url = `${served.url}/api/visitorActivity/version/4/do/query?${query}`;
  const res = await fetch(url, {
    headers: {
      authorization: `Bearer ${served.token}`,
      'pardot-business-unit-id': served.businessUnitId,
    },
  });
  return res.text();
}

function parseAndType(body: string, xml: boolean, rounds: number): number {
  const typer = new RecordTyper('visitorActivity', 'naive', () => time);
  const time = new LocalTime('America/New_York');
  const run = () => {
    const envelope = readLegacyEnvelope(body, xml);
    if (!envelope.ok) throw new Error('fail body');
    return rowsOf(envelope.body.result, 'visitor_activity').map((r) => typer.type(r));
  };
  for (let i = 0; i < 50; i += 1) run();
  const start = process.cpuUsage();
  let rows = 0;
  for (let i = 0; i < rounds; i += 1) rows += run().length;
  if (rows !== rounds * 200) throw new Error(`expected full pages, got ${rows / rounds} rows`);
  return cpuMs(start) / rounds;
}

async function main(): Promise<void> {
  const pages = Number(process.argv[2] ?? 300);
  const { served, stop } = await startChild();
  const lines: string[] = [];
  for (const format of ['json', 'xml'] as const) {
    const e2e = await endToEnd(served, format, pages);
    const local = parseAndType(await capture(served, format), format === 'xml', 1000);
    lines.push(
      `${format}: end to end ${e2e.toFixed(3)} ms CPU/page (${pages} pages); ` +
        `parse+type ${local.toFixed(3)} ms CPU/page`,
    );
  }
  stop();
  process.stderr.write(
    `client CPU per 200-row visitorActivity page (target < 2 ms)\n${lines.join('\n')}\n`,
  );
}

if (process.argv.includes('--serve')) void serve();
else void main();
