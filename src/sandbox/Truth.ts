import { objectSpec } from '../pardot/catalogue';
import type { PardotRecord, RecordValue } from '../pardot/types';
import type { Account } from './Account';
import { PROSPECT_CUSTOM_FIELDS } from './CustomFields';
import type { SandboxClock } from './SandboxClock';
import { selectRows } from './selectRows';
import type { StoredRow } from './StoredRow';

export interface TruthRange {
  /** Which timestamp the range applies to. Default 'created_at'. */
  field?: 'created_at' | 'updated_at';
  /** Inclusive lower bound, UTC. */
  from?: Date | number;
  /** Exclusive upper bound, UTC. */
  to?: Date | number;
  /** Include rows in the recycle bin. Default false. */
  deleted?: boolean;
}

const PAGE = 5000;

/**
 * Ground truth: the records a correct client produces from bulk output for an object, as
 * typed PardotRecords (timestamps `Date`, absent fields absent, custom fields kept, full-only
 * fields such as a user's `timezone` left out), visible at the sandbox clock's now, in id
 * order. Ranges are half-open [from, to) on UTC instants.
 */
export class Truth {
  constructor(
    private readonly account: Account,
    private readonly clock: SandboxClock,
  ) {}

  *records(object: string, range: TruthRange = {}): Generator<PardotRecord> {
    for (const row of this.rows(object, range)) yield toRecord(object, row);
  }

  count(object: string, range: TruthRange = {}): number {
    let n = 0;
    for (const _ of this.rows(object, range)) n++;
    return n;
  }

  /** All records of the range in an array (small objects and ranges only). */
  list(object: string, range: TruthRange = {}): PardotRecord[] {
    return [...this.records(object, range)];
  }

  private *rows(object: string, range: TruthRange): Generator<StoredRow> {
    const table = this.account.table(object);
    const from = range.from === undefined ? undefined : +range.from;
    const to = range.to === undefined ? undefined : +range.to - 1;
    const byUpdated = range.field === 'updated_at';
    let idMin: number | undefined;
    for (;;) {
      const { rows } = selectRows(
        table,
        {
          bounds: {
            createdMin: byUpdated ? undefined : from,
            createdMax: byUpdated ? undefined : to,
            idMin,
          },
          updatedMin: byUpdated ? from : undefined,
          updatedMax: byUpdated ? to : undefined,
          predicates: [],
          deleted: range.deleted ? 'all' : 'false',
          sortField: 'id',
          descending: false,
          offset: 0,
          limit: PAGE,
          needTotal: false,
        },
        this.clock.now(),
      );
      yield* rows;
      if (rows.length < PAGE) return;
      idMin = rows[rows.length - 1].id + 1;
    }
  }
}

/** A stored row as the typed record a client builds from bulk output. */
export function toRecord(object: string, row: StoredRow): PardotRecord {
  const spec = objectSpec(object);
  const out: PardotRecord = {};
  for (const field of spec.fields) {
    if (field.fullOnly) continue;
    const value = row.data[field.name];
    if (value === undefined) continue;
    out[field.name] =
      field.type === 'ts' && typeof value === 'number' ? new Date(value) : (value as RecordValue);
  }
  if (spec.name === 'prospect') {
    for (const def of PROSPECT_CUSTOM_FIELDS) {
      if (row.data[def.name] !== undefined) out[def.name] = row.data[def.name];
    }
  }
  return out;
}
