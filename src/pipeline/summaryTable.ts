import { fmt } from './ProgressDisplay';
import type { RunStats } from './RunStats';

/**
 * The end-of-run table: per stream rows, files, calls, retries and time, then the total calls
 * against the daily quota (when known).
 */
export function summaryTable(stats: RunStats, quota?: number): string {
  const header = ['stream', 'state', 'rows', 'files', 'calls', 'retries', 'time'];
  const streams = [...stats.streams.values()];
  const rows = streams.map((s) => [
    s.stream,
    s.state,
    fmt(s.committedRows),
    fmt(s.files),
    fmt(s.calls),
    fmt(s.retries),
    seconds((s.endedAtMs ?? s.startedAtMs) - s.startedAtMs),
  ]);
  const total = [
    'total',
    '',
    fmt(stats.totalRows),
    fmt(streams.reduce((n, s) => n + s.files, 0)),
    fmt(stats.totalCalls),
    fmt(stats.totalRetries),
    '',
  ];

  const table = [header, ...rows, total];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const render = (r: string[]) =>
    r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');

  const lines = [render(header), rule, ...rows.map(render), rule, render(total)];
  const share = quota
    ? ` of ${fmt(quota)} (${((stats.totalCalls / quota) * 100).toFixed(2)}%)`
    : '';
  lines.push(`API calls: ${fmt(stats.totalCalls)}${share}`);
  return lines.join('\n');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
