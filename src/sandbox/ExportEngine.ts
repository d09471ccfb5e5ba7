import type { ServerResponse } from 'node:http';

import { objectSpec, type FieldSpec, type ObjectSpec } from '../pardot/catalogue';
import type { Account } from './Account';
import { parseBool } from './objectFilters';
import { PardotFault } from './PardotFault';
import { parseDateInput } from './parseDateInput';
import { Random } from './Random';
import type { SandboxClock } from './SandboxClock';
import type { SandboxSettings } from './SandboxSettings';
import { matcher, type Selection } from './selectRows';
import type { StoredRow } from './StoredRow';

export type ExportStateName = 'Waiting' | 'Processing' | 'Complete' | 'Failed';

/** An export as the engine keeps it; its state follows from the clock. */
export interface ExportRecord {
  id: number;
  spec: ObjectSpec;
  fields: FieldSpec[];
  /** Header names as requested (v3/v4 names, or v5 names on v5). */
  header: string[];
  selection: Selection;
  createdMs: number;
  startMs: number;
  finishMs: number;
  failed: boolean;
  rows: number;
  files: number;
  /** 'v4' (naive local times, snake_case reply) or 'v5' (ISO, camelCase). */
  api: 'v4' | 'v5';
  version: number;
}

export interface ExportBody {
  object?: unknown;
  fields?: unknown;
  procedure?: { name?: unknown; arguments?: unknown };
}

const YEAR_MS = 366 * 86_400_000;

/**
 * The Export API engine. Exports queue one at a time per account: each waits
 * `exportQueueMs`, or until the one before it finishes, then processes for
 * `exportProcessingMs` (fixed, or a function of its row count); all on the sandbox clock, so
 * a test walks Waiting -> Processing -> Complete by advancing it. Results are regenerated on
 * download from the rows visible when the export was created, never held in memory.
 */
export class ExportEngine {
  private readonly exports = new Map<number, ExportRecord>();
  private nextId = 201_900;
  private lastFinishMs = 0;
  private readonly random: Random;

  constructor(
    private readonly account: Account,
    private readonly clock: SandboxClock,
    private readonly settings: SandboxSettings,
    private readonly seed: number,
  ) {
    this.random = new Random(seed, 174);
  }

  create(body: ExportBody, api: 'v4' | 'v5', version: number): ExportRecord {
    const spec = exportObject(body.object);
    const procedures = spec.exportProcedures ?? {};
    const { fields, header } = exportFields(spec, body.fields, api);
    const name = String(body.procedure?.name ?? '');
    const procedure = procedures[name];
    if (!procedure) throw new PardotFault(174, `Invalid procedure: ${name}`);
    const nowMs = this.clock.now();
    const selection = this.selection(
      spec,
      procedure.arguments,
      procedure.field,
      body.procedure?.arguments,
      nowMs,
    );

    const rows = this.count(spec, selection, nowMs);
    const startMs = Math.max(nowMs + this.settings.exportQueueMs, this.lastFinishMs);
    const processing = this.settings.exportProcessingMs;
    const finishMs = startMs + (typeof processing === 'number' ? processing : processing(rows));
    this.lastFinishMs = finishMs;
    const files = rows === 0 ? 0 : Math.ceil(rows / this.settings.exportRowsPerFile);
    const failed = this.random.next() < this.settings.faults.exportFailed;
    const record: ExportRecord = {
      id: this.nextId++,
      spec,
      fields,
      header,
      selection,
      createdMs: nowMs,
      startMs,
      finishMs,
      failed,
      rows,
      files,
      api,
      version,
    };
    this.exports.set(record.id, record);
    return record;
  }

  get(id: number): ExportRecord {
    const record = this.exports.get(id);
    if (!record) throw new PardotFault(16, `Invalid export id: ${id}`, 404);
    return record;
  }

  state(record: ExportRecord, nowMs: number): ExportStateName {
    if (nowMs < record.startMs) return 'Waiting';
    if (nowMs < record.finishMs) return 'Processing';
    return record.failed ? 'Failed' : 'Complete';
  }

  isExpired(record: ExportRecord, nowMs: number): boolean {
    return nowMs >= record.finishMs + this.settings.exportRetentionMs;
  }

  /** Instant of the latest state change at `nowMs`. */
  updatedMs(record: ExportRecord, nowMs: number): number {
    if (nowMs < record.startMs) return record.createdMs;
    return nowMs < record.finishMs ? record.startMs : record.finishMs;
  }

  /** Streams file `n` (1-based) as CSV, with backpressure; throws 178 when not downloadable. */
  async download(record: ExportRecord, n: number, res: ServerResponse): Promise<void> {
    const nowMs = this.clock.now();
    if (this.state(record, nowMs) !== 'Complete' || this.isExpired(record, nowMs)) {
      throw new PardotFault(178, 'The export is not complete or has expired', 400);
    }
    if (!Number.isInteger(n) || n < 1 || n > record.files)
      throw new PardotFault(16, `Invalid file: ${n}`, 404);
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });

    const perFile = this.settings.exportRowsPerFile;
    let skip = (n - 1) * perFile;
    let left = perFile;
    let chunk = `${record.header.map(csvCell).join(',')}\r\n`;
    for (const rows of this.shuffledSegments(record)) {
      if (skip >= rows.length) {
        skip -= rows.length;
        continue;
      }
      for (const row of rows.slice(skip, skip + left)) {
        chunk += this.csvLine(record, row);
        left--;
        if (chunk.length > 64_000) {
          if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
          chunk = '';
        }
      }
      skip = 0;
      if (left === 0) break;
    }
    res.end(chunk);
  }

  /** Each segment's matching rows in a deterministic shuffle: export row order is arbitrary. */
  private *shuffledSegments(record: ExportRecord): Generator<StoredRow[]> {
    const table = this.account.table(record.spec.name);
    const matches = matcher(record.selection, record.createdMs);
    const segments = table.segments(record.selection.bounds, record.createdMs);
    for (const [i, segment] of segments.entries()) {
      const rows = segment.byId().filter(matches);
      yield new Random(this.seed, record.id, i).shuffle([...rows]);
    }
  }

  private csvLine(record: ExportRecord, row: StoredRow): string {
    const time = this.account.time;
    const cells = record.fields.map((field) => {
      const value = row.data[field.name];
      if (value === null || value === undefined) return '';
      if (field.type === 'ts') return time.format(value as number);
      if (Array.isArray(value)) return csvCell(value.join(';'));
      return csvCell(String(value));
    });
    return `${cells.join(',')}\r\n`;
  }

  private count(spec: ObjectSpec, selection: Selection, nowMs: number): number {
    const matches = matcher(selection, nowMs);
    let n = 0;
    for (const segment of this.account.table(spec.name).segments(selection.bounds, nowMs)) {
      for (const row of segment.byId()) if (matches(row)) n++;
    }
    return n;
  }

  private selection(
    spec: ObjectSpec,
    allowed: string[],
    field: 'created_at' | 'updated_at',
    rawArgs: unknown,
    nowMs: number,
  ): Selection {
    const args = (rawArgs ?? {}) as Record<string, unknown>;
    if (typeof args !== 'object' || Array.isArray(args))
      throw new PardotFault(177, 'Invalid arguments');
    for (const name of Object.keys(args)) {
      if (!allowed.includes(name)) throw new PardotFault(175, `Invalid argument: ${name}`);
    }
    if (args[allowed[0]] === undefined)
      throw new PardotFault(176, `Missing argument: ${allowed[0]}`);
    const date = (name: string): number | undefined => {
      if (args[name] === undefined) return undefined;
      const ms = parseDateInput(String(args[name]), this.account.days, nowMs);
      if (ms === null) throw new PardotFault(177, `Invalid argument value: ${name}`);
      return ms;
    };
    const after = date(allowed[0]) as number;
    const before = date(allowed[1]);
    if ((before ?? nowMs) - after > YEAR_MS) {
      throw new PardotFault(177, 'The time range of an export may not exceed one year');
    }
    if (before !== undefined && before <= after) throw new PardotFault(177, 'Invalid time range');
    // Export bounds are strict at both ends; data stops at the export's creation.
    const max = Math.min((before ?? Infinity) - 1, nowMs);
    const s: Selection = {
      bounds: {},
      predicates: exportPredicates(args),
      deleted: deletedArg(args.deleted),
      sortField: 'id',
      descending: false,
      offset: 0,
      limit: Infinity,
      needTotal: true,
    };
    if (field === 'created_at') s.bounds = { createdMin: after + 1, createdMax: max };
    else Object.assign(s, { updatedMin: after + 1, updatedMax: max });
    return s;
  }
}

function exportObject(raw: unknown): ObjectSpec {
  if (typeof raw !== 'string') throw new PardotFault(153, 'Missing or invalid property: object');
  const name = raw.charAt(0).toLowerCase() + raw.slice(1);
  try {
    const spec = objectSpec(name);
    if (!spec.exportProcedures) throw new Error('not exportable');
    return spec;
  } catch {
    throw new PardotFault(153, `Invalid object for export: ${raw}`);
  }
}

function exportFields(spec: ObjectSpec, raw: unknown, api: 'v4' | 'v5') {
  const all = spec.fields.filter((f) => !f.fullOnly);
  const nameOf = (f: FieldSpec) => (api === 'v5' ? camel(f.name) : f.name);
  if (raw === undefined) return { fields: all, header: all.map(nameOf) };
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 150) {
    throw new PardotFault(153, 'Invalid property: fields (a list of 1 to 150 names)');
  }
  const fields = raw.map((name) => {
    const field = all.find((f) => f.name === name || camel(f.name) === name || f.v5 === name);
    if (!field)
      throw new PardotFault(153, `Invalid property: fields (unknown field ${String(name)})`);
    return field;
  });
  return { fields, header: raw.map(String) };
}

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function exportPredicates(args: Record<string, unknown>): Selection['predicates'] {
  const out: Selection['predicates'] = [];
  if (args.type !== undefined) {
    const types = Array.isArray(args.type) ? args.type : String(args.type).split(',');
    const set = new Set(types.map(Number));
    if ([...set].some((t) => !Number.isInteger(t)))
      throw new PardotFault(177, 'Invalid argument value: type');
    out.push((row) => set.has(row.data.type as number));
  }
  if (args.prospectOnly !== undefined) {
    const on =
      typeof args.prospectOnly === 'boolean'
        ? args.prospectOnly
        : parseBool(String(args.prospectOnly));
    if (on === null) throw new PardotFault(177, 'Invalid argument value: prospectOnly');
    if (on) out.push((row) => row.data.prospect_id != null);
  }
  return out;
}

function deletedArg(raw: unknown): Selection['deleted'] {
  if (raw === undefined) return 'false';
  if (raw === 'all') return 'all';
  const on = typeof raw === 'boolean' ? raw : parseBool(String(raw));
  if (on === null) throw new PardotFault(177, 'Invalid argument value: deleted');
  return on ? 'true' : 'false';
}

/** RFC 4180: quote a cell holding a quote, comma, CR or LF; double inner quotes. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
