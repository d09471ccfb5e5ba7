/**
 * Parquet sink throughput and memory for visitor activities.
 *
 *   npx ts-node bench/parquet-sink.ts                   # 100k and 1M rows
 *   npx ts-node bench/parquet-sink.ts 300000,3000000    # other sizes
 *
 * Each size runs in its own child process (`--child <rows>`).
 *
 * Rows are generated page by page (1,000 a page, as a v4 export would deliver them), so the
 * peak RSS shows what the sink keeps, not the input. Peak RSS is the child's
 * process.resourceUsage().maxRSS.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { lastValueFrom, Observable, Subject, toArray } from 'rxjs';

import type { PardotRecord } from '../src/pardot/types';
import { parquetSink } from '../src/sinks/parquetSink';
import type { Page } from '../src/sources/types';
import { peakRssMiB, runChild } from './lib/runChild';

const PAGE_ROWS = 1_000;
const DAY_START_MS = Date.UTC(2024, 2, 10);
const WINDOW = { startMs: DAY_START_MS, endMs: DAY_START_MS + 86_400_000 };
const DETAILS = [
  'https://www.example.com/pricing',
  'Spring webinar — invitation',
  'form: Contact us',
];

function activity(i: number): PardotRecord {
  const createdAt = new Date(DAY_START_MS + Math.floor((i * 86_400_000) / 2_000_000));
  const row: PardotRecord = {
    id: 900_000_000 + i,
    prospect_id: 5_000_000 + (i % 40_000),
    visitor_id: 70_000_000 + (i % 90_000),
    type: (i % 38) + 1,
    type_name: i % 2 === 0 ? 'Visit' : 'Email',
    details: DETAILS[i % DETAILS.length],
    campaign_id: 1_000 + (i % 50),
    created_at: createdAt,
    updated_at: createdAt,
  };
  if (i % 3 === 0) row.email_id = 40_000 + (i % 700);
  if (i % 5 === 0) row.form_id = 300 + (i % 20);
  if (i % 7 === 0) row.visitor_page_view_id = 8_000_000 + i;
  return row;
}

function* pages(total: number): Generator<Page> {
  for (let start = 0; start < total; start += PAGE_ROWS) {
    const rows: PardotRecord[] = [];
    for (let i = start; i < Math.min(total, start + PAGE_ROWS); i += 1) rows.push(activity(i));
    const last = start + PAGE_ROWS >= total;
    const mark = {
      atMs: (rows.at(-1)?.created_at as Date).getTime(),
      id: rows.at(-1)?.id as number,
    };
    yield { stream: 'va', object: 'visitorActivity', window: WINDOW, rows, mark, last };
  }
}

/**
 * Emits the next page only once the sink has written the previous one, as a paging source
 * waiting on its next request would; a synchronous iterable would be buffered whole by the
 * sink's concatMap, and the bench would measure that buffer.
 */
function pulled(source: Iterator<Page>, written: Subject<void>): Observable<Page> {
  return new Observable<Page>((subscriber) => {
    const next = () => {
      const item = source.next();
      if (item.done) subscriber.complete();
      else subscriber.next(item.value);
    };
    const subscription = written.subscribe(next);
    next();
    return () => subscription.unsubscribe();
  });
}

async function measure(total: number): Promise<Record<string, number>> {
  const out = mkdtempSync(path.join(tmpdir(), 'pp-bench-'));
  const started = process.hrtime.bigint();
  const written = new Subject<void>();
  const sink = parquetSink({ out, onEvent: (e) => e.type === 'page-written' && written.next() });
  const commits = await lastValueFrom(pulled(pages(total), written).pipe(sink, toArray()));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const files = commits.flatMap((c) => c.files);
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  rmSync(out, { recursive: true, force: true });
  return {
    rows: total,
    seconds: Math.round(ms) / 1000,
    rowsPerSecond: Math.round((total * 1000) / ms),
    fileMiB: Math.round((bytes / 1048576) * 10) / 10,
    files: files.length,
    peakRssMiB: peakRssMiB(),
  };
}

function child(total: number): Record<string, number> {
  return runChild<Record<string, number>>(__filename, ['--child', String(total)]);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    process.stdout.write(JSON.stringify(await measure(Number(process.argv[3]))) + '\n');
    return;
  }
  const sizes = (process.argv[2] ?? '100000,1000000').split(',').map(Number);
  const results = sizes.map(child);
  console.table(results);
  const [first, last] = [results[0], results[results.length - 1]];
  const ratio = (last.peakRssMiB / first.peakRssMiB).toFixed(2);
  process.stdout.write(`peak RSS ${last.rows} rows / ${first.rows} rows: ${ratio}x\n`);
}

void main();
