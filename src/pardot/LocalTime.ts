import { DateTime, IANAZone } from 'luxon';

/**
 * Cache slot. Offsets are multiples of 15 minutes and change on quarter hours: Adelaide and
 * St John's change at half past a UTC hour, Lord Howe moves its clocks by 30 minutes.
 */
const SLOT_MS = 15 * 60_000;
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** Thrown when a zone name or a naive timestamp cannot be read. */
export class LocalTimeError extends Error {
  readonly code = 'PARDOT_BAD_TIME';
  constructor(message: string) {
    super(message);
    this.name = 'LocalTimeError';
  }
}

/**
 * Converts between UTC instants and the naive `YYYY-MM-DD HH:MM:SS` wall-clock strings that
 * v3/v4 and the Export API speak, in one IANA zone.
 *
 * Calling luxon per row costs 20-36 us, more than writing the row to Parquet, so offsets are
 * computed once per quarter hour and cached: zone offsets only change on quarter hours (not
 * whole UTC hours: Adelaide, St John's and Lord Howe change at half past).
 *
 * DST: in the spring gap a wall time that never existed is read as the instant an hour later
 * (luxon's rule). In the repeated autumn hour a wall time names two instants; it is read as the
 * earlier one. Both are unavoidable with offset-less input: callers that must not lose rows
 * there page by id (see the query source).
 */
export class LocalTime {
  readonly zone: string;
  private readonly toUtcCache = new Map<number, number>();
  private readonly fromUtcCache = new Map<number, number>();

  constructor(zone: string) {
    if (!IANAZone.isValidZone(zone)) {
      throw new LocalTimeError(
        `'${zone}' is not an IANA time zone; use a name such as America/New_York`,
      );
    }
    this.zone = zone;
  }

  /** Epoch milliseconds of a naive local timestamp; throws LocalTimeError when malformed. */
  toEpochMs(naive: string): number {
    const m = NAIVE.exec(naive);
    if (!m) throw new LocalTimeError(`'${naive}' is not a YYYY-MM-DD HH:MM:SS timestamp`);

    const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
    return wall - this.offsetForWallSlot(Math.floor(wall / SLOT_MS));
  }

  /** Naive local `YYYY-MM-DD HH:MM:SS` of an instant. */
  format(epochMs: number): string {
    const wall = new Date(epochMs + this.offsetForUtcSlot(Math.floor(epochMs / SLOT_MS)));
    return wall.toISOString().slice(0, 19).replace('T', ' ');
  }

  /** The zone's offset in milliseconds at an instant. */
  offsetAt(epochMs: number): number {
    return this.offsetForUtcSlot(Math.floor(epochMs / SLOT_MS));
  }

  /** Start of the local day (midnight, or the first instant after it) containing an instant. */
  startOfDay(epochMs: number): number {
    return DateTime.fromMillis(epochMs, { zone: this.zone }).startOf('day').toMillis();
  }

  /** The instant of local midnight starting an ISO date `YYYY-MM-DD`. */
  dayStart(isoDate: string): number {
    const dt = DateTime.fromISO(isoDate, { zone: this.zone });
    if (!dt.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) {
      throw new LocalTimeError(`'${isoDate}' is not a date in the form YYYY-MM-DD`);
    }
    return dt.startOf('day').toMillis();
  }

  /** The local calendar date `YYYY-MM-DD` of an instant. */
  isoDate(epochMs: number): string {
    return this.format(epochMs).slice(0, 10);
  }

  private offsetForUtcSlot(slot: number): number {
    let offset = this.fromUtcCache.get(slot);
    if (offset === undefined) {
      offset = IANAZone.create(this.zone).offset(slot * SLOT_MS) * 60_000;
      this.fromUtcCache.set(slot, offset);
    }
    return offset;
  }

  private offsetForWallSlot(wallSlot: number): number {
    let offset = this.toUtcCache.get(wallSlot);
    if (offset === undefined) {
      offset = this.resolveWallOffset(wallSlot * SLOT_MS);
      this.toUtcCache.set(wallSlot, offset);
    }
    return offset;
  }

  /**
   * The offset that maps a wall time to an instant. A wall time has one valid offset on most
   * days, two in the repeated autumn hour (the larger one, giving the earlier instant, wins),
   * and none in the spring gap (the offset before the gap is used, moving it an hour later).
   */
  private resolveWallOffset(wall: number): number {
    const zone = IANAZone.create(this.zone);
    const before = zone.offset(wall - 86_400_000) * 60_000;
    const after = zone.offset(wall + 86_400_000) * 60_000;
    const valid = [before, after].filter((o) => zone.offset(wall - o) * 60_000 === o);
    return valid.length > 0 ? Math.max(...valid) : before;
  }
}
