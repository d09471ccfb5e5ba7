import { PagingStalledError } from '../pardot/errors';
import type { PardotRecord } from '../pardot/types';
import { chunk, type Chunk, fetchRows, maxId, type PagerContext, SECOND_MS } from './pagerContext';

/**
 * Pages a window in ascending cursor time with a (timestamp, id) mark.
 *
 * Each request asks for rows at or after `fromMs` by sending `*_after = fromMs - 1 s`: a strict
 * server then starts at `fromMs`, an inclusive one one second earlier (those rows are known
 * and skipped). Rows of the last second of a full page may continue on the next page, so only
 * the seconds before it are emitted and the next request starts at that second. When a full
 * page holds no complete new second (hundreds of rows share one second), that second is
 * drained by id and paging moves past it. A reply that contains a row at the `*_after` second
 * itself shows the server reads the bound inclusively; from then on the bound is sent as is.
 */
export async function* timePager(ctx: PagerContext, startMs: number): AsyncGenerator<Chunk> {
  const state = { fromMs: startMs, inclusive: false, stalls: 0 };

  for (;;) {
    const afterMs = state.inclusive ? state.fromMs : state.fromMs - SECOND_MS;
    const rows = await fetchRows(ctx, afterMs, ctx.window.endMs, {
      sort_by: ctx.plan.timeField!,
      sort_order: 'ascending',
    });
    const times = rows.map((row) => ctx.tracker.timeOf(row)!);
    if (times.some((t) => t <= afterMs)) state.inclusive = true;

    const lastMs = Math.max(...times);
    // A short page ends the window; so does a full one that reaches its end (an inclusive
    // server returns rows at the end second itself): every row before that end is on it.
    if (rows.length < ctx.limit || lastMs >= ctx.window.endMs) {
      yield chunk(ctx, ctx.tracker.accept(rows));
      return;
    }

    const fresh = ctx.tracker.accept(rows.filter((_, i) => times[i] < lastMs));
    if (fresh.length > 0) yield chunk(ctx, fresh);
    if (fresh.length > 0 && lastMs > state.fromMs) {
      state.fromMs = lastMs;
      continue;
    }

    yield* drainSecond(ctx, lastMs, state.inclusive);
    advance(state, lastMs + SECOND_MS, ctx.spec.name);
  }
}

function advance(state: { fromMs: number; stalls: number }, nextMs: number, object: string): void {
  state.stalls = nextMs > state.fromMs ? 0 : state.stalls + 1;
  // Two rounds without progress: the first may only have taught us the server is inclusive.
  if (state.stalls > 1) {
    throw new PagingStalledError(
      `paging ${object} stopped moving at ${new Date(nextMs).toISOString()}`,
      {
        object,
      },
    );
  }
  state.fromMs = Math.max(state.fromMs, nextMs);
}

/**
 * Reads every row of one second by id (`id_greater_than`, `sort_by=id`), the time filter
 * bounded to that second, rows of neighbouring seconds (inclusive servers) skipped. After each
 * page every row of the second up to the last id is emitted, so the mark (second, last id)
 * holds, and a run resumed inside the second continues from that id.
 */
async function* drainSecond(
  ctx: PagerContext,
  secondMs: number,
  inclusive: boolean,
): AsyncGenerator<Chunk> {
  const mark = ctx.tracker.mark;
  let lastId = mark && mark.atMs === secondMs ? mark.id : 0;
  const pad = inclusive ? 0 : SECOND_MS;

  for (;;) {
    const rows: PardotRecord[] = await fetchRows(ctx, secondMs - pad, secondMs + pad, {
      id_greater_than: lastId > 0 ? lastId : undefined,
      sort_by: 'id',
      sort_order: 'ascending',
    });
    const fresh = ctx.tracker.accept(rows.filter((row) => ctx.tracker.timeOf(row) === secondMs));
    lastId = maxId(rows, lastId);
    if (lastId > 0) ctx.tracker.raise({ atMs: secondMs, id: lastId });
    yield chunk(ctx, fresh);

    if (rows.length < ctx.limit) return;
  }
}
