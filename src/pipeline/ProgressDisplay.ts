import { MultiBar, Presets, type SingleBar } from 'cli-progress';

import type { RunStats, StreamStats } from './RunStats';

export interface ProgressDisplayOptions {
  /** Where lines go. Default process.stderr. */
  stream?: NodeJS.WriteStream;
  /** Live lines (a terminal) or a log line every `intervalMs`. Default: stream.isTTY. */
  live?: boolean;
  /** Between log lines when not live, milliseconds. Default 5000. */
  intervalMs?: number;
  /** Time zone-free clock for rates. Default Date.now. */
  now?: () => number;
}

/**
 * Shows the run's progress on stderr: on a terminal, one live line per stream (rows, pages,
 * calls, current window, rate); elsewhere, one log line every few seconds for streams that
 * moved. Records never go here, so stdout stays clean for the stdout sink.
 */
export class ProgressDisplay {
  private readonly out: NodeJS.WriteStream;
  private readonly live: boolean;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private multi: MultiBar | null = null;
  private readonly bars = new Map<string, SingleBar>();
  /** What each stream's last log line showed (rows and calls), so unchanged ones stay quiet. */
  private readonly lastLogged = new Map<string, string>();

  constructor(
    private readonly stats: RunStats,
    private readonly options: ProgressDisplayOptions = {},
  ) {
    this.out = options.stream ?? process.stderr;
    this.live = options.live ?? Boolean(this.out.isTTY);
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.live) {
      this.multi = new MultiBar(
        {
          stream: this.out,
          format: '{line}',
          hideCursor: true,
          clearOnComplete: false,
          fps: 4,
        },
        Presets.legacy,
      );
      for (const s of this.stats.streams.values()) {
        this.bars.set(s.stream, this.multi.create(1, 0, { line: this.line(s) }));
      }
      this.timer = setInterval(() => this.refresh(), 250);
    } else {
      this.timer = setInterval(() => this.logMoved(), this.options.intervalMs ?? 5000);
    }
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.multi) {
      this.refresh();
      this.multi.stop();
      this.multi = null;
    }
  }

  private refresh(): void {
    for (const s of this.stats.streams.values()) {
      this.bars.get(s.stream)?.update(0, { line: this.line(s) });
    }
  }

  private logMoved(): void {
    for (const s of this.stats.streams.values()) {
      // Calls count too: an export that is only being polled still shows it is alive.
      const seen = `${s.rows}/${s.calls}`;
      if (s.state !== 'running' || this.lastLogged.get(s.stream) === seen) continue;
      this.lastLogged.set(s.stream, seen);
      this.out.write(`pardot-pipes: ${this.line(s)}\n`);
    }
  }

  /** `visitorActivity  running  12,400 rows  63 pages  70 calls  2026-12-02  1,250 rows/s`. */
  line(s: StreamStats): string {
    const elapsedS = Math.max(((s.endedAtMs ?? this.now()) - s.startedAtMs) / 1000, 0.001);
    const rate = Math.round(s.rows / elapsedS);
    const window = s.window ? new Date(s.window.startMs).toISOString().slice(0, 16) : '-';
    return [
      s.stream.padEnd(20),
      s.state.padEnd(8),
      `${fmt(s.rows)} rows`.padStart(16),
      `${fmt(s.pages)} pages`.padStart(12),
      `${fmt(s.calls)} calls`.padStart(12),
      `window ${window}`,
      `${fmt(rate)} rows/s`,
    ].join('  ');
  }
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
