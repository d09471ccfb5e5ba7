import type { ObjectSpec } from '../pardot/catalogue';
import { byCreatedAsc, byIdAsc, type StoredRow } from './StoredRow';

/** Inclusive bounds a query puts on a table, used to skip segments that cannot match. */
export interface Bounds {
  createdMin?: number;
  createdMax?: number;
  idMin?: number;
  idMax?: number;
}

/** A run of rows that sorts before or after every other segment by both id and created_at. */
export interface Segment {
  /** Rows sorted by id ascending. */
  byId(): readonly StoredRow[];
  /** Rows sorted by (created_at, id) ascending. */
  byCreated(): readonly StoredRow[];
}

/** Storage of one object's rows. */
export interface Table {
  readonly spec: ObjectSpec;
  /** Segments that may hold rows inside the bounds, in ascending id and time order. */
  segments(bounds: Bounds, nowMs: number): Segment[];
  get(id: number): StoredRow | undefined;
  /** Adds a new row; its id must come from `allocateId`. */
  add(row: StoredRow): void;
  /** Replaces a stored row (same id) after an update or delete. */
  replace(row: StoredRow): void;
  /** A fresh id for a row created at `createdMs`; never reused. */
  allocateId(createdMs: number): number;
}

/** A sorted array with its (created_at, id) ordering computed on demand. */
export class ArraySegment implements Segment {
  private created: StoredRow[] | null = null;

  constructor(private readonly rows: StoredRow[]) {}

  byId(): readonly StoredRow[] {
    return this.rows;
  }

  byCreated(): readonly StoredRow[] {
    this.created ??= [...this.rows].sort(byCreatedAsc);
    return this.created;
  }
}

/** An object held whole in memory: entities and the smaller event objects. */
export class EntityTable implements Table {
  private rows: StoredRow[];
  private readonly index = new Map<number, StoredRow>();
  private segment: ArraySegment;
  private nextId: number;

  constructor(
    readonly spec: ObjectSpec,
    rows: StoredRow[],
  ) {
    this.rows = [...rows].sort(byIdAsc);
    for (const row of this.rows) this.index.set(row.id, row);
    this.segment = new ArraySegment(this.rows);
    this.nextId = (this.rows.at(-1)?.id ?? 0) + 1;
  }

  segments(): Segment[] {
    return [this.segment];
  }

  get(id: number): StoredRow | undefined {
    return this.index.get(id);
  }

  /** Every row, in id order (ground truth and generators). */
  all(): readonly StoredRow[] {
    return this.rows;
  }

  add(row: StoredRow): void {
    this.index.set(row.id, row);
    this.rows = [...this.rows, row].sort(byIdAsc);
    this.segment = new ArraySegment(this.rows);
  }

  replace(row: StoredRow): void {
    this.index.set(row.id, row);
    this.rows = this.rows.map((r) => (r.id === row.id ? row : r));
    this.segment = new ArraySegment(this.rows);
  }

  allocateId(): number {
    return this.nextId++;
  }
}
