import { chunk, type Chunk, fetchRows, maxId, type PagerContext, SECOND_MS } from './pagerContext';

/**
 * Pages the window by id: `id_greater_than` the last id seen, `sort_by=id` where the object
 * accepts it, the window filtered on the plan's time field (if any) with `*_after` one second
 * before its start so that strict and inclusive servers both return its first second. Stops on
 * a short page. The mark is the last id paged: ids are unique, so no boundary row is lost.
 */
export async function* idPager(
  ctx: PagerContext,
  fromId: number,
  floorMs: number = ctx.window.startMs,
): AsyncGenerator<Chunk> {
  const byTime = ctx.plan.timeField !== null;
  let lastId = fromId;

  for (;;) {
    const rows = await fetchRows(
      ctx,
      byTime ? floorMs - SECOND_MS : null,
      byTime ? ctx.window.endMs : null,
      {
        id_greater_than: lastId > 0 ? lastId : undefined,
        ...(ctx.plan.idSortable ? { sort_by: 'id', sort_order: 'ascending' } : {}),
      },
    );

    const fresh = ctx.tracker.accept(rows);
    lastId = maxId(rows, lastId);
    ctx.tracker.raise({ atMs: null, id: lastId });
    yield chunk(ctx, fresh);

    if (rows.length < ctx.limit) return;
  }
}
