/**
 * The sandbox's notion of "now". Token expiry, the daily quota reset, export processing and
 * the date keywords (`today`, `yesterday`) all read it, so tests drive time instead of waiting.
 *
 * It follows the real time until `set` or `advance` is called; from then on it stands still
 * and moves only when told, so a test sees the same instant on every request.
 */
export class SandboxClock {
  private frozenMs: number | null;

  /** @param startMs epoch milliseconds to freeze at; omitted = follow the real time */
  constructor(startMs?: number) {
    this.frozenMs = startMs ?? null;
  }

  /** Current sandbox time, epoch milliseconds. */
  now(): number {
    return this.frozenMs ?? Date.now();
  }

  /** Freezes the clock at an instant (epoch milliseconds). */
  set(ms: number): void {
    this.frozenMs = ms;
  }

  /** Moves the clock forward (or back, when negative) by `ms`, freezing it if it was real. */
  advance(ms: number): void {
    this.frozenMs = this.now() + ms;
  }

  /** Whether the clock follows the real time. */
  get isReal(): boolean {
    return this.frozenMs === null;
  }
}
