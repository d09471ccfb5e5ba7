import { describe, expect, it, vi } from 'vitest';

import { ProgressDisplay } from '../../src/pipeline/ProgressDisplay';
import { RunStats } from '../../src/pipeline/RunStats';
import { summaryTable } from '../../src/pipeline/summaryTable';

const WINDOW = {
  startMs: Date.parse('2026-12-02T05:00:00Z'),
  endMs: Date.parse('2026-12-03T05:00:00Z'),
};

function statsAt(now: { ms: number }): RunStats {
  const stats = new RunStats(() => now.ms);
  stats.add('visitorActivity', 'visitorActivity');
  stats.add('prospect', 'prospect');
  stats.start('visitorActivity');
  stats.start('prospect');
  return stats;
}

/** One 200-row prospect page seen by the progress operator. */
function prospectPage(stats: RunStats): void {
  stats.onProgress({
    type: 'page',
    stream: 'prospect',
    object: 'prospect',
    window: WINDOW,
    pageRows: 200,
    pages: 1,
    rows: 200,
    windowsDone: 0,
  });
}

describe('summaryTable', () => {
  it('lists rows, files, calls, retries and time per stream, then total calls of the quota', () => {
    const now = { ms: 0 };
    const stats = statsAt(now);
    prospectPage(stats);
    stats.onCommit({
      stream: 'prospect',
      object: 'prospect',
      window: WINDOW,
      mark: null,
      windowDone: true,
      rows: 1234,
      files: ['a', 'b'],
    });
    stats.onCommit({
      stream: 'visitorActivity',
      object: 'visitorActivity',
      window: WINDOW,
      mark: null,
      windowDone: true,
      rows: 56,
      files: ['c'],
    });
    for (let i = 0; i < 7; i++) stats.onCall('prospect');
    stats.onCall(undefined);
    stats.onRetry('prospect');
    now.ms = 2500;
    stats.end('prospect', false);
    stats.end('visitorActivity', true);

    expect(summaryTable(stats, 25_000).split('\n')).toEqual([
      'stream           state    rows  files  calls  retries  time',
      '---------------  ------  -----  -----  -----  -------  ----',
      'visitorActivity  failed     56      1      0        0  2.5s',
      'prospect         done    1,234      2      7        1  2.5s',
      '---------------  ------  -----  -----  -----  -------  ----',
      'total                    1,290      3      8        1      ',
      'API calls: 8 of 25,000 (0.03%)',
    ]);
  });
});

describe('ProgressDisplay', () => {
  it('renders one line per stream with rows, pages, calls, window and rate', () => {
    const now = { ms: 0 };
    const stats = statsAt(now);
    prospectPage(stats);
    stats.onCall('prospect');
    now.ms = 4000;

    const line = new ProgressDisplay(stats, { now: () => now.ms, live: false }).line(
      stats.streams.get('prospect')!,
    );

    expect(line).toBe(
      'prospect              running           200 rows       1 pages       1 calls' +
        '  window 2026-12-02T05:00  50 rows/s',
    );
  });
});

describe('ProgressDisplay off a terminal', () => {
  it('logs a stream when its rows or calls moved, and stays quiet otherwise', () => {
    vi.useFakeTimers();
    const now = { ms: 0 };
    const stats = statsAt(now);
    const lines: string[] = [];
    const out = { write: (line: string) => lines.push(line), isTTY: false };
    const display = new ProgressDisplay(stats, {
      stream: out as unknown as NodeJS.WriteStream,
      intervalMs: 1000,
      now: () => now.ms,
    });

    display.start();
    stats.onCall('visitorActivity');
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(1000);
    stats.onCall('visitorActivity');
    vi.advanceTimersByTime(1000);
    display.stop();
    vi.useRealTimers();

    expect(lines.filter((l) => l.includes('visitorActivity')).length).toBe(2);
    expect(lines.filter((l) => l.includes('prospect')).length).toBe(1);
  });
});

describe('RunStats.stopUnfinished', () => {
  it('marks streams that did not finish as stopped at the time the run ended', () => {
    const now = { ms: 0 };
    const stats = statsAt(now);
    stats.end('prospect', false);
    now.ms = 4200;

    stats.stopUnfinished();

    expect(summaryTable(stats).split('\n').slice(2, 4)).toEqual([
      'visitorActivity  stopped     0      0      0        0  4.2s',
      'prospect         done        0      0      0        0  0.0s',
    ]);
  });
});
