import type { LoggedRequest } from '../../src/sandbox/RequestLog';
import type { LogSummary } from './sandboxChild';

/** Counts and in-flight figures of a sandbox request log (OAuth calls left out). */
export function summarise(entries: readonly LoggedRequest[]): LogSummary {
  const api = entries.filter((e) => e.kind !== 'oauth');
  const tally = (key: (e: LoggedRequest) => string | undefined) => {
    const out: Record<string, number> = {};
    for (const e of api) {
      const k = key(e);
      if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  };
  // Reduced, not spread: a long log would overflow the argument list.
  const firstStartMs = api.reduce((m, e) => Math.min(m, e.startMs), Infinity);
  const lastEndMs = api.reduce((m, e) => Math.max(m, e.endMs), 0);
  const busyMs = api.reduce((sum, e) => sum + (e.endMs - e.startMs), 0);
  const downloads = api.filter((e) => e.kind === 'download');

  return {
    calls: api.length,
    byKind: tally((e) => e.kind),
    byPath: tally((e) => e.path),
    failures: tally((e) => (e.pardotCode === undefined ? undefined : String(e.pardotCode))),
    maxInFlight: api.reduce((m, e) => Math.max(m, e.inFlightAtStart), 0),
    inFlightAtStart: tally((e) => String(e.inFlightAtStart)),
    meanDurationMs: api.length === 0 ? 0 : busyMs / api.length,
    meanInFlight: api.length === 0 ? 0 : busyMs / Math.max(1, lastEndMs - firstStartMs),
    firstStartMs: api.length === 0 ? 0 : firstStartMs,
    lastEndMs: api.length === 0 ? 0 : lastEndMs,
    firstDownloadMs: downloads.length === 0 ? 0 : downloads[0].startMs,
  };
}
