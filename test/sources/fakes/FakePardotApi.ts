import { Readable } from 'node:stream';

import { BadRequestError } from '../../../src/pardot/errors';
import { LocalTime } from '../../../src/pardot/LocalTime';
import type {
  ExportJob,
  ExportRequest,
  PardotApi,
  PardotRecord,
  QueryPage,
  QueryParams,
  RequestOptions,
  V5Page,
} from '../../../src/pardot/types';

/** One stored row: instants in epoch ms (whole seconds), visible from a call count on. */
export interface FakeRow {
  id: number;
  createdMs: number;
  updatedMs?: number;
  /** Parent id (a visit's visitor), matched by `visitor_ids`. */
  parentId?: number;
  /** The row is hidden until this many calls were made (a slow replica). Default 0. */
  visibleFromCall?: number;
}

export interface FakeExportPlan {
  /** Reads answering Waiting/Processing before Complete. Default 2. */
  readsBeforeDone?: number;
  /** The first `failures` exports created end Failed. Default 0. */
  failures?: number;
  /** Rows per CSV file. Default 1000. */
  rowsPerFile?: number;
}

interface FakeExport {
  job: ExportJob;
  request: ExportRequest;
  reads: number;
  fails: boolean;
  rows: FakeRow[];
}

interface Chain {
  params: Record<string, string | number | undefined>;
  served: number;
}

/**
 * An in-memory PardotApi over one table of rows, for source tests. It honours created/updated
 * after/before (strict by default, inclusive when `inclusive`), id_greater_than, sort_by and
 * sort_order, limit (error over 200 on v3/v4, 1000 on v5), and v5 tokens with a chain cap.
 * Rows sharing a second come back in descending id order under a time sort, the least
 * convenient order a server may choose.
 */
export class FakePardotApi implements PardotApi {
  readonly time: LocalTime;
  version: 3 | 4 | 5 = 4;
  inclusive = false;
  v5ChainCap = 100_000;
  /** A broken server that answers every page with the token it was given. */
  repeatTokens = false;
  calls = 0;
  /** Every v3/v4 and v5 query's parameters, in order. */
  readonly requests: QueryParams[] = [];
  readonly exportPlan: FakeExportPlan = {};
  readonly exports = new Map<number, FakeExport>();
  readonly downloads: string[] = [];
  /** Pardot code for a read of an export id it does not know (178 or 16, invalid id). */
  unknownExportCode = 178;
  /** Downloads still to cut off mid-body (the connection drops after half the lines). */
  cutDownloads = 0;
  /** Aborted signals seen by calls. */
  readonly aborted: string[] = [];
  private readonly chains = new Map<string, Chain>();
  private nextExportId = 100;
  private createdExports = 0;

  constructor(
    public rows: FakeRow[],
    zone = 'America/New_York',
  ) {
    this.time = new LocalTime(zone);
  }

  async query(object: string, params: QueryParams, _options?: RequestOptions): Promise<QueryPage> {
    return { rows: this.select(params, 200).map((r) => this.record(r)) };
  }

  async queryPost(object: string, params: QueryParams): Promise<QueryPage> {
    return this.query(object, params);
  }

  async queryV5(
    object: string,
    params: Record<string, string | number | undefined>,
  ): Promise<V5Page> {
    this.calls += 1;
    this.requests.push(params);
    const chain = `c${this.chains.size + 1}`;
    this.chains.set(chain, { params, served: 0 });
    return this.v5Page(`${chain}:0`);
  }

  async nextV5(object: string, nextPageUrl: string): Promise<V5Page> {
    this.calls += 1;
    const token = new URL(nextPageUrl, 'http://fake/').searchParams.get('nextPageToken') ?? '';
    this.requests.push({ nextPageToken: token });
    return this.v5Page(token);
  }

  async createExport(request: ExportRequest): Promise<ExportJob> {
    this.calls += 1;
    const id = this.nextExportId++;
    const fails = this.createdExports++ < (this.exportPlan.failures ?? 0);
    const job: ExportJob = { id, state: 'Waiting', isExpired: false, resultRefs: [] };
    this.exports.set(id, { job, request, reads: 0, fails, rows: this.exportRows(request) });
    return { ...job };
  }

  async readExport(id: number, options?: { signal?: AbortSignal }): Promise<ExportJob> {
    this.calls += 1;
    const found = this.exports.get(id);
    if (!found) {
      const code = this.unknownExportCode;
      throw new BadRequestError(`export ${id} not found`, { pardotCode: code });
    }
    if (options?.signal?.aborted) this.aborted.push(`read ${id}`);
    found.reads += 1;
    if (found.job.state === 'Complete' || found.job.state === 'Failed') return { ...found.job };
    if (found.reads <= (this.exportPlan.readsBeforeDone ?? 2)) {
      found.job.state = found.reads === 1 ? 'Waiting' : 'Processing';
    } else if (found.fails) {
      found.job.state = 'Failed';
    } else {
      found.job.state = 'Complete';
      found.job.resultRefs = this.files(found).map((_, n) => `fake://export/${id}/file/${n}`);
    }
    return { ...found.job };
  }

  /** Marks an export expired: reads say so and downloads fail with code 178. */
  expire(id: number): void {
    const found = this.exports.get(id);
    if (found) found.job = { ...found.job, isExpired: true, resultRefs: [] };
  }

  async download(url: string): Promise<Readable> {
    this.calls += 1;
    this.downloads.push(url);
    const m = /fake:\/\/export\/(\d+)\/file\/(\d+)/.exec(url);
    const found = m ? this.exports.get(Number(m[1])) : undefined;
    if (!found || found.job.isExpired)
      throw new BadRequestError('export expired', { pardotCode: 178 });
    const rows = this.files(found)[Number(m![2])];
    const lines = ['id,created_at,type_name\n'];
    for (const r of rows)
      lines.push(`${r.id},${this.time.format(r.createdMs)},"a, ""quoted""\nname"\n`);
    if (this.cutDownloads > 0 && lines.length > 2) {
      this.cutDownloads -= 1;
      return Readable.from(cutOff(lines.slice(0, Math.ceil(lines.length / 2))));
    }
    return Readable.from(lines);
  }

  csvTyper(object: string, header: readonly string[]): (cells: readonly string[]) => PardotRecord {
    return (cells) =>
      this.typeRow(object, Object.fromEntries(header.map((key, i) => [key, cells[i]])));
  }

  typeRow(object: string, raw: Record<string, unknown>): PardotRecord {
    const out: PardotRecord = {};
    for (const [k, v] of Object.entries(raw)) {
      if (k === 'id') out.id = Number(v);
      else if (k.endsWith('_at')) out[k] = new Date(this.time.toEpochMs(String(v)));
      else out[k] = String(v);
    }
    return out;
  }

  /** Selects rows as the v3/v4 query would, counting the call. */
  private select(params: QueryParams, maxLimit: number): FakeRow[] {
    this.calls += 1;
    this.requests.push(params);
    const limit = Number(params.limit ?? 200);
    if (limit > maxLimit) throw new BadRequestError('limit too large', { pardotCode: 23 });
    const offset = Number(params.offset ?? 0);

    const rows = this.visible().filter((r) => this.matches(r, params));
    rows.sort(this.order(String(params.sort_by ?? 'id'), String(params.sort_order ?? 'ascending')));
    return rows.slice(offset, offset + limit);
  }

  private matches(r: FakeRow, p: QueryParams): boolean {
    const after = (field: string, ms: number) => {
      const v = p[`${field}_after`];
      if (v === undefined) return true;
      const bound = this.time.toEpochMs(String(v));
      return this.inclusive ? ms >= bound : ms > bound;
    };
    const before = (field: string, ms: number) => {
      const v = p[`${field}_before`];
      if (v === undefined) return true;
      const bound = this.time.toEpochMs(String(v));
      return this.inclusive ? ms <= bound : ms < bound;
    };
    const updated = r.updatedMs ?? r.createdMs;
    const idOk = p.id_greater_than === undefined || r.id > Number(p.id_greater_than);
    const parents =
      p.visitor_ids === undefined ? null : String(p.visitor_ids).split(',').map(Number);
    if (parents && !parents.includes(r.parentId ?? -1)) return false;
    return (
      idOk &&
      after('created', r.createdMs) &&
      before('created', r.createdMs) &&
      after('updated', updated) &&
      before('updated', updated)
    );
  }

  private order(sortBy: string, sortOrder: string) {
    const sign = sortOrder === 'descending' ? -1 : 1;
    if (sortBy === 'id') return (a: FakeRow, b: FakeRow) => sign * (a.id - b.id);
    const at = (r: FakeRow) =>
      sortBy === 'updated_at' ? (r.updatedMs ?? r.createdMs) : r.createdMs;
    return (a: FakeRow, b: FakeRow) => sign * (at(a) - at(b)) || b.id - a.id;
  }

  private visible(): FakeRow[] {
    return this.rows.filter((r) => (r.visibleFromCall ?? 0) <= this.calls);
  }

  private record(r: FakeRow): PardotRecord {
    return {
      id: r.id,
      created_at: new Date(r.createdMs),
      updated_at: new Date(r.updatedMs ?? r.createdMs),
    };
  }

  private v5Page(token: string): V5Page {
    const [chainId, servedText] = token.split(':');
    const chain = this.chains.get(chainId);
    if (!chain || Number(servedText) !== chain.served) {
      if (!this.repeatTokens) throw new BadRequestError('invalid token', { pardotCode: 211 });
    }
    if (!chain) throw new BadRequestError('invalid token', { pardotCode: 211 });
    if (this.repeatTokens) chain.served = Number(servedText);
    const p = chain.params;
    const limit = Number(p.limit ?? 200);
    if (limit > 1000) throw new BadRequestError('limit too large');

    const field = String(p.orderBy ?? 'id ASC').startsWith('updatedAt') ? 'updated' : 'created';
    const rows = this.visible()
      .filter((r) => this.matchesV5(r, p, field))
      .sort((a, b) => this.at(a, field) - this.at(b, field) || a.id - b.id);
    const page = rows.slice(chain.served, chain.served + limit);
    chain.served += page.length;

    const more = chain.served < rows.length;
    const capped = more && chain.served >= this.v5ChainCap;
    const nextToken = this.repeatTokens ? token : `${chainId}:${chain.served}`;
    const next = more && !capped ? `/api/v5/objects/x?nextPageToken=${nextToken}` : null;
    return {
      rows: page.map((r) => this.record(r)),
      nextPageToken: next ? nextToken : null,
      nextPageUrl: next,
      warnings: capped ? [203] : [],
    };
  }

  private at(r: FakeRow, field: string): number {
    return field === 'updated' ? (r.updatedMs ?? r.createdMs) : r.createdMs;
  }

  private matchesV5(
    r: FakeRow,
    p: Record<string, string | number | undefined>,
    field: string,
  ): boolean {
    const ms = this.at(r, field);
    const name = `${field}At`;
    const get = (suffix: string) => p[`${name}${suffix}`];
    const ts = (v: string | number) => Date.parse(String(v));
    if (get('AfterOrEqualTo') !== undefined && !(ms >= ts(get('AfterOrEqualTo')!))) return false;
    if (get('After') !== undefined && !(ms > ts(get('After')!))) return false;
    if (get('Before') !== undefined && !(ms < ts(get('Before')!))) return false;
    if (p.idGreaterThan !== undefined && !(r.id > Number(p.idGreaterThan))) return false;
    return true;
  }

  private exportRows(request: ExportRequest): FakeRow[] {
    const args = request.arguments;
    const after = args.created_after ? this.time.toEpochMs(String(args.created_after)) : -Infinity;
    const before = args.created_before
      ? this.time.toEpochMs(String(args.created_before))
      : Infinity;
    const inside = (ms: number) =>
      this.inclusive ? ms >= after && ms <= before : ms > after && ms < before;
    return this.rows.filter((r) => inside(r.createdMs)).reverse();
  }

  private files(found: FakeExport): FakeRow[][] {
    const size = this.exportPlan.rowsPerFile ?? 1000;
    const out: FakeRow[][] = [];
    for (let i = 0; i < found.rows.length; i += size) out.push(found.rows.slice(i, i + size));
    return out;
  }
}

/** `count` rows all created in the same second, ids from `firstId`. */
export function burst(atMs: number, count: number, firstId: number): FakeRow[] {
  return Array.from({ length: count }, (_, i) => ({ id: firstId + i, createdMs: atMs }));
}

/** The lines, then a connection reset, as a body cut off mid-download. */
async function* cutOff(lines: string[]): AsyncGenerator<string> {
  yield* lines;
  throw Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
}
