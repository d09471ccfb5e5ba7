import type { ObjectSpec } from '../pardot/catalogue';
import type { AccountDays } from './AccountDays';
import { byIdAsc, type StoredRow } from './StoredRow';
import { ArraySegment, type Bounds, type Segment, type Table } from './Table';

export interface DayTableOptions {
  spec: ObjectSpec;
  days: AccountDays;
  /** First local day that has generated data. */
  firstDay: number;
  /** Ids of day d lie in [idBase + d * idStride, idBase + (d + 1) * idStride). */
  idBase: number;
  idStride: number;
  /** Generated rows of one day, sorted by id; must be deterministic. */
  generate: (day: number) => StoredRow[];
  /** Generated days kept in memory. Default 64. */
  cacheDays?: number;
}

/**
 * An event object too big to hold (visitor activities by the million). Each account-local
 * day is generated on first use from (seed, day) and kept in a bounded cache; inserted and
 * changed rows live in overlays so that a regenerated day still shows them.
 *
 * Ids are laid out per day, so an id bound maps to a day range as a time bound does: both
 * skip straight to the days that can match. Generated rows take the low ids of their day;
 * inserted rows take ids from the upper half, which keeps ids unique and, across days,
 * increasing with time.
 */
export class DayTable implements Table {
  readonly spec: ObjectSpec;
  private readonly cache = new Map<number, ArraySegment>();
  private readonly inserted = new Map<number, StoredRow[]>();
  private readonly changed = new Map<number, StoredRow>();
  private readonly insertCounters = new Map<number, number>();

  constructor(private readonly options: DayTableOptions) {
    this.spec = options.spec;
  }

  segments(bounds: Bounds, nowMs: number): Segment[] {
    const { days, firstDay, idBase, idStride } = this.options;
    let from = Math.min(firstDay, this.minInsertedDay());
    let to = days.indexOf(nowMs);
    if (bounds.createdMin !== undefined) from = Math.max(from, days.indexOf(bounds.createdMin));
    if (bounds.createdMax !== undefined) to = Math.min(to, days.indexOf(bounds.createdMax));
    if (bounds.idMin !== undefined)
      from = Math.max(from, Math.floor((bounds.idMin - idBase) / idStride));
    if (bounds.idMax !== undefined)
      to = Math.min(to, Math.floor((bounds.idMax - idBase) / idStride));

    const out: Segment[] = [];
    for (let day = from; day <= to; day++) {
      out.push(this.lazySegment(day));
    }
    return out;
  }

  get(id: number): StoredRow | undefined {
    const changed = this.changed.get(id);
    if (changed) return changed;
    const day = Math.floor((id - this.options.idBase) / this.options.idStride);
    return this.day(day)
      .byId()
      .find((r) => r.id === id);
  }

  add(row: StoredRow): void {
    const day = this.dayOfId(row.id);
    const list = this.inserted.get(day) ?? [];
    list.push(row);
    this.inserted.set(day, list);
    this.cache.delete(day);
  }

  replace(row: StoredRow): void {
    this.changed.set(row.id, row);
    this.cache.delete(this.dayOfId(row.id));
  }

  allocateId(createdMs: number): number {
    const day = this.options.days.indexOf(createdMs);
    const n = (this.insertCounters.get(day) ?? 0) + 1;
    this.insertCounters.set(day, n);
    return this.options.idBase + day * this.options.idStride + this.options.idStride / 2 + n;
  }

  /** The rows of one local day, generated and merged with the overlays. */
  day(day: number): ArraySegment {
    const cached = this.cache.get(day);
    if (cached) {
      this.cache.delete(day);
      this.cache.set(day, cached);
      return cached;
    }
    const segment = new ArraySegment(this.build(day));
    this.cache.set(day, segment);
    if (this.cache.size > (this.options.cacheDays ?? 64)) {
      this.cache.delete(this.cache.keys().next().value as number);
    }
    return segment;
  }

  private build(day: number): StoredRow[] {
    const generated = day >= this.options.firstDay ? this.options.generate(day) : [];
    const rows = generated.map((r) => this.changed.get(r.id) ?? r);
    const extra = (this.inserted.get(day) ?? []).map((r) => this.changed.get(r.id) ?? r);
    return extra.length === 0 ? rows : [...rows, ...extra].sort(byIdAsc);
  }

  private lazySegment(day: number): Segment {
    return { byId: () => this.day(day).byId(), byCreated: () => this.day(day).byCreated() };
  }

  private minInsertedDay(): number {
    let min = Infinity;
    for (const day of this.inserted.keys()) if (day < min) min = day;
    return min;
  }

  private dayOfId(id: number): number {
    return Math.floor((id - this.options.idBase) / this.options.idStride);
  }
}
