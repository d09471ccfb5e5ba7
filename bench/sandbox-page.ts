/**
 * Time for the sandbox to serve one 200-row v4 bulk JSON page of visitor activities, measured
 * from the client side over keep-alive HTTP on loopback (median of 200 pages, paging by id
 * through generated days). Run: npx ts-node bench/sandbox-page.ts
 */
import { Pool } from 'undici';

import { startSandbox } from '../src/sandbox';

async function main(): Promise<void> {
  const sandbox = await startSandbox({ nowMs: Date.UTC(2024, 10, 5, 15) });
  const pool = new Pool(sandbox.url, { connections: 1 });
  const headers = sandbox.authHeaders();
  const path = (after: number) =>
    `/api/visitorActivity/version/4/do/query?format=json&output=bulk&limit=200&sort_by=id` +
    `&sort_order=ascending&created_after=2024-10-01&id_greater_than=${after}`;

  let after = 0;
  const times: number[] = [];
  for (let i = 0; i < 220; i++) {
    const start = process.hrtime.bigint();
    const res = await pool.request({ method: 'GET', path: path(after), headers });
    const body = (await res.body.json()) as { result: { visitor_activity: Array<{ id: number }> } };
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    const rows = body.result.visitor_activity;
    after = rows[rows.length - 1].id;
    if (i >= 20) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const p95 = times[Math.floor(times.length * 0.95)];
  process.stderr.write(
    `sandbox 200-row v4 bulk JSON page: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms ` +
      `(${times.length} pages, first 20 skipped as warm-up)\n`,
  );
  await pool.close();
  await sandbox.close();
}

void main();
