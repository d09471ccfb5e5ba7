import { mkdtempSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { objectSpec, OBJECT_NAMES } from '../../src/pardot/catalogue';
import type { PardotRecord } from '../../src/pardot/types';
import type { SinkEvent } from '../../src/sinks/fileSink';
import { parquetSink } from '../../src/sinks/parquetSink';
import { tableColumns } from '../../src/sinks/tableColumns';
import { duck } from './fixtures/duck';
import { pagesOf, run } from './fixtures/pages';
import { syntheticRecords } from './fixtures/syntheticRecords';

const BASE_MS = Date.UTC(2024, 2, 10, 23, 59, 0);
const WINDOW = { startMs: Date.UTC(2024, 2, 10), endMs: Date.UTC(2024, 2, 12) };
const EXTRACTED_MS = Date.UTC(2024, 2, 12, 6);

function lake(): string {
  return mkdtempSync(path.join(tmpdir(), 'pp-parquet-'));
}

const DUCK_TYPES = {
  int: 'BIGINT',
  num: 'DOUBLE',
  str: 'VARCHAR',
  ts: 'TIMESTAMP WITH TIME ZONE',
  bool: 'BOOLEAN',
  list: 'VARCHAR[]',
} as const;

/** What DuckDB's JSON rows should hold for a record written through the sink. */
function expectedJson(object: string, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of tableColumns(object)) {
    const value = row[column.key];
    if (value === undefined || value === null) out[column.name] = null;
    else if (column.type === 'int') out[column.name] = String(value);
    else if (column.type === 'ts') out[column.name] = String((value as Date).getTime());
    else out[column.name] = value;
  }
  return out;
}

describe('parquetSink', () => {
  it.each(OBJECT_NAMES)('writes %s so DuckDB reads every typed value back', async (object) => {
    const out = lake();
    const rows = syntheticRecords(object, 300, BASE_MS);
    const table = objectSpec(object).table;

    await run(
      pagesOf(object, WINDOW, rows, 120),
      parquetSink({ out, extractedAtMs: EXTRACTED_MS }),
    );

    const glob = `${out}/${table}/**/*.parquet`;
    const described = await duck(`describe select * from read_parquet('${glob}')`);
    expect(described.map((c) => [c.column_name, c.column_type])).toEqual(
      // DuckDB reads the `date=` directories as a hive partition column.
      [...tableColumns(object).map((c) => [c.name, DUCK_TYPES[c.type]]), ['date', 'DATE']],
    );
    const ts = tableColumns(object)
      .filter((c) => c.type === 'ts')
      .map((c) => c.name);
    const select = tableColumns(object)
      .map((c) =>
        c.type === 'int'
          ? `${c.name}::varchar as ${c.name}`
          : ts.includes(c.name)
            ? `epoch_ms(${c.name}) as ${c.name}`
            : c.name,
      )
      .join(', ');
    const back = await duck(
      `select ${select} from (select * from read_parquet('${glob}') order by id)`,
    );
    expect(back.length).toBe(300);
    expect(back).toEqual(rows.map((r) => expectedJson(object, r)));
  });

  it('partitions events by created_at UTC date and entities by extraction date', async () => {
    const out = lake();
    const rows = syntheticRecords('visitorActivity', 120, BASE_MS);
    const pages = [
      ...pagesOf('visitorActivity', WINDOW, rows, 50),
      ...pagesOf('prospect', WINDOW, syntheticRecords('prospect', 10, BASE_MS), 50),
    ];

    const commits = await run(pages, parquetSink({ out, extractedAtMs: EXTRACTED_MS }));

    expect(readdirSync(path.join(out, 'visitor_activity')).sort()).toEqual([
      'date=2024-03-10',
      'date=2024-03-11',
    ]);
    expect(readdirSync(path.join(out, 'prospect'))).toEqual(['date=2024-03-12']);
    const counts = await duck(
      `select regexp_extract(filename, 'date=([0-9-]+)', 1) as d, count(*)::int as n ` +
        `from read_parquet('${out}/visitor_activity/**/*.parquet', filename=true) ` +
        `group by 1 order by 1`,
    );
    expect(counts).toEqual([
      { d: '2024-03-10', n: 60 },
      { d: '2024-03-11', n: 60 },
    ]);
    expect(commits.map((c) => [c.stream, c.rows, c.windowDone, c.files.length])).toEqual([
      ['visitorActivity', 120, true, 2],
      ['prospect', 10, true, 1],
    ]);
  });

  it('commits at each roll with the last page mark and names parts by it', async () => {
    const out = lake();
    const rows = syntheticRecords('lifecycleHistory', 100, BASE_MS - 3_600_000);

    const commits = await run(
      pagesOf('lifecycleHistory', WINDOW, rows, 20),
      parquetSink({ out, maxFileRows: 40, rowGroupRows: 15 }),
    );

    expect(commits.map((c) => [c.rows, c.mark?.id, c.windowDone])).toEqual([
      [40, 40, false],
      [40, 80, false],
      [20, 100, true],
    ]);
    const names = commits.flatMap((c) => c.files.map((f) => path.basename(f)));
    const prefix = names[0].split('-')[1];
    const t = (id: number) => `t${(rows[id - 1].created_at as Date).getTime()}i${id}`;
    expect(names).toEqual([
      `part-${prefix}-s-0.parquet`,
      `part-${prefix}-${t(40)}-0.parquet`,
      `part-${prefix}-${t(80)}-0.parquet`,
    ]);
    const groups = await duck(
      `select count(*)::int as n from parquet_metadata('${commits[0].files[0]}') ` +
        `where path_in_schema = 'id'`,
    );
    expect(groups).toEqual([{ n: 3 }]);
  });

  it('removes temp files of dead runs and never leaves its own behind', async () => {
    const out = lake();
    const dir = path.join(out, 'tag', 'date=2024-03-12');
    mkdirSync(dir, { recursive: true });
    const dead = path.join(dir, '.part-abcdef01-s-0.parquet.999999999.tmp');
    const live = path.join(dir, `.part-abcdef01-s-1.parquet.${process.pid}.tmp`);
    writeFileSync(dead, 'half a file');
    writeFileSync(live, 'being written');
    const events: string[] = [];

    await run(
      pagesOf('tag', WINDOW, syntheticRecords('tag', 5, BASE_MS), 5),
      parquetSink({ out, extractedAtMs: EXTRACTED_MS, onEvent: (e) => events.push(e.type) }),
    );

    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(readdirSync(dir).filter((n) => n.endsWith('.parquet')).length).toBe(1);
    expect(events).toEqual(['temp-removed', 'page-written', 'part']);
  });

  it('removes parts of an earlier attempt that this attempt did not rewrite', async () => {
    const out = lake();
    const rows = syntheticRecords('tagObject', 90, BASE_MS - 3_600_000);
    const pages = pagesOf('tagObject', WINDOW, rows, 10);
    await run(pages, parquetSink({ out, maxFileRows: 30 }));
    const removed: string[] = [];

    const again = await run(
      pages,
      parquetSink({
        out,
        maxFileRows: 50,
        onEvent: (e) => e.type === 'stale-part-removed' && removed.push(path.basename(e.path)),
      }),
    );

    const stats = await duck(
      `select count(*)::int as n, count(distinct id)::int as d ` +
        `from read_parquet('${out}/tag_object/**/*.parquet')`,
    );
    expect(stats).toEqual([{ n: 90, d: 90 }]);
    expect(again.flatMap((c) => c.files).length).toBe(2);
    expect(removed.length).toBe(2);
  });

  it('rewrites an entity window resumed on a later day into its first partition', async () => {
    const out = lake();
    const rows = syntheticRecords('tag', 60, BASE_MS - 3_600_000);
    const pages = pagesOf('tag', WINDOW, rows, 10);
    const firstDay = Date.parse('2026-12-01T23:00:00Z');
    // A first attempt rolled a part into place, then died before its state was saved.
    await run(pages.slice(0, 3), parquetSink({ out, maxFileRows: 30, extractedAtMs: firstDay }));

    await run(
      pages,
      parquetSink({ out, maxFileRows: 30, extractedAtMs: (_stream, _window) => firstDay }),
    );

    const stats = await duck(
      `select count(*)::int as n, count(distinct id)::int as d ` +
        `from read_parquet('${out}/tag/**/*.parquet')`,
    );
    expect(stats).toEqual([{ n: 60, d: 60 }]);
    expect(readdirSync(path.join(out, 'tag'))).toEqual(['date=2026-12-01']);
  });

  it('keeps parts committed before the resume mark when a window is resumed', async () => {
    const out = lake();
    const rows = syntheticRecords('tagObject', 60, BASE_MS - 3_600_000);
    const pages = pagesOf('tagObject', WINDOW, rows, 10);
    const first = await run(pages.slice(0, 3), parquetSink({ out, maxFileRows: 30 }));
    const resume = first[0].mark;

    await run(pages.slice(3), parquetSink({ out, maxFileRows: 30, resumeFrom: () => resume }));

    const stats = await duck(
      `select count(*)::int as n, count(distinct id)::int as d ` +
        `from read_parquet('${out}/tag_object/**/*.parquet')`,
    );
    expect(stats).toEqual([{ n: 60, d: 60 }]);
  });

  it('writes declared custom fields as typed columns and counts undeclared keys', async () => {
    const out = lake();
    const rows = syntheticRecords('prospect', 3, BASE_MS).map((row, i) => ({
      ...row,
      Interests__c: i === 1 ? null : ['Parquet', `emoji 😀 ${i}`, 'say "hi"\nbye'],
      Budget__c: i === 2 ? undefined : i * 1.5,
      'custom:email': `other${i}@example.com`,
      Undeclared__c: 'x',
    })) as PardotRecord[];
    const extraColumns = {
      prospect: [
        { name: 'Interests__c', type: 'list' as const },
        { name: 'Budget__c', type: 'num' as const },
        { name: 'email', type: 'str' as const, key: 'custom:email' },
      ],
    };
    const events: SinkEvent[] = [];

    await run(
      pagesOf('prospect', WINDOW, rows, 2),
      parquetSink({
        out,
        extractedAtMs: EXTRACTED_MS,
        extraColumns,
        onEvent: (e) => events.push(e),
      }),
    );

    const glob = `${out}/prospect/**/*.parquet`;
    const described = await duck(`describe select * from read_parquet('${glob}')`);
    expect(described.slice(-4).map((c) => [c.column_name, c.column_type])).toEqual([
      ['Interests__c', 'VARCHAR[]'],
      ['Budget__c', 'DOUBLE'],
      ['email__custom', 'VARCHAR'],
      ['date', 'DATE'],
    ]);
    const back = await duck(
      `select Interests__c, Budget__c, email__custom from read_parquet('${glob}') order by id`,
    );
    expect(back).toEqual([
      {
        Interests__c: ['Parquet', 'emoji 😀 0', 'say "hi"\nbye'],
        Budget__c: 0,
        email__custom: 'other0@example.com',
      },
      { Interests__c: null, Budget__c: 1.5, email__custom: 'other1@example.com' },
      {
        Interests__c: ['Parquet', 'emoji 😀 2', 'say "hi"\nbye'],
        Budget__c: null,
        email__custom: 'other2@example.com',
      },
    ]);
    expect(events.filter((e) => e.type === 'ignored-keys')).toEqual([
      {
        type: 'ignored-keys',
        stream: 'prospect',
        object: 'prospect',
        counts: { Undeclared__c: 3 },
      },
    ]);
  });

  it('writes gzip-compressed parts when asked', async () => {
    const out = lake();

    const [commit] = await run(
      pagesOf('tag', WINDOW, syntheticRecords('tag', 50, BASE_MS), 50),
      parquetSink({ out, codec: 'GZIP', extractedAtMs: EXTRACTED_MS }),
    );

    const meta = await duck(
      `select distinct compression from parquet_metadata('${commit.files[0]}')`,
    );
    expect(meta).toEqual([{ compression: 'GZIP' }]);
  });
});
