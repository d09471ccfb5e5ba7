import { v5FieldName } from '../pardot/catalogue';
import { PagingStalledError } from '../pardot/errors';
import { type Chunk, maxId, type PagerContext, SECOND_MS } from './pagerContext';

/** Pardot-Warning 203: the token chain was cut at its record cap, it is not the end. */
const CHAIN_CUT = 203;

type V5Params = Record<string, string | number | undefined>;

/**
 * Pages a window through API v5: `orderBy` the cursor then id, the window as
 * `xAfterOrEqualTo` / `xBefore` (explicit offsets, so no DST ambiguity), then the
 * `nextPageUrl` chain as given until it is missing.
 *
 * A chain cut at its record cap (warning 203) restarts from the mark (second, id): that second
 * is finished by id (`idGreaterThan` the mark's id, bounded to the second), then paging goes
 * on from the next second. So even a second holding more rows than the cap moves forward. A
 * next-page link that repeats is an error, not a loop.
 */
export async function* v5Pager(ctx: PagerContext, startMs: number): AsyncGenerator<Chunk> {
  if (!ctx.plan.timeField) {
    yield* byId(ctx, {}, ctx.tracker.mark?.id ?? 0);
    return;
  }

  const name = ctx.plan.timeField === 'created_at' ? 'createdAt' : 'updatedAt';
  let fromMs = startMs;
  for (;;) {
    const cut = yield* chain(ctx, {
      orderBy: `${name} ASC,id ASC`,
      [`${name}AfterOrEqualTo`]: iso(fromMs),
      [`${name}Before`]: iso(ctx.window.endMs),
    });
    if (!cut) return;

    const mark = ctx.tracker.mark!;
    const second = {
      [`${name}AfterOrEqualTo`]: iso(mark.atMs!),
      [`${name}Before`]: iso(mark.atMs! + SECOND_MS),
    };
    yield* byId(ctx, second, mark.id);
    fromMs = mark.atMs! + SECOND_MS;
  }
}

/** Chains ordered by id above `fromId`, restarted after each cut from the last id. */
async function* byId(ctx: PagerContext, filters: V5Params, fromId: number): AsyncGenerator<Chunk> {
  let lastId = fromId;
  for (;;) {
    const before = lastId;
    const cut = yield* chain(
      ctx,
      { ...filters, orderBy: 'id ASC', idGreaterThan: lastId > 0 ? lastId : undefined },
      (rows) => (lastId = maxId(rows, lastId)),
    );
    if (!ctx.plan.timeField) ctx.tracker.raise({ atMs: null, id: lastId });
    if (!cut) return;
    if (lastId <= before) throw stalled(ctx, 'a v5 chain was cut before any row was read');
  }
}

/** Follows one token chain; returns true when it was cut at the cap rather than ended. */
async function* chain(
  ctx: PagerContext,
  filters: V5Params,
  onRows?: (rows: Chunk['rows']) => void,
): AsyncGenerator<Chunk, boolean> {
  const links = new Set<string>();
  let page = await ctx.api.queryV5(
    ctx.spec.name,
    { ...v5Filters(ctx), fields: fields(ctx), limit: ctx.limit, ...filters },
    {
      signal: ctx.signal,
    },
  );
  for (;;) {
    onRows?.(page.rows);
    yield { rows: ctx.tracker.accept(page.rows), mark: ctx.tracker.mark };

    if (!page.nextPageUrl) return page.warnings.includes(CHAIN_CUT);
    if (links.has(page.nextPageUrl)) throw stalled(ctx, 'a v5 next-page link repeated');
    links.add(page.nextPageUrl);
    page = await ctx.api.nextV5(ctx.spec.name, page.nextPageUrl, { signal: ctx.signal });
  }
}

/**
 * The stream's extra filters, given by their v3/v4 names, as v5 parameters: a field filter
 * takes the field's v5 name (`list_id` -> `listId`). `only_identified` has no v5 form: v5
 * returns every visitor unless filtered, so `false` is dropped and `true` becomes
 * `isIdentified=true`. Other names go as given, for the server to refuse loudly.
 */
function v5Filters(ctx: PagerContext): V5Params {
  const out: V5Params = {};
  for (const [name, value] of Object.entries(ctx.params)) {
    if (value === undefined) continue;
    if (name === 'only_identified') {
      if (String(value) === 'true') out.isIdentified = 'true';
      continue;
    }
    const field = ctx.spec.fields.find((f) => f.name === name);
    const v5Name = field ? v5FieldName(field) : null;
    out[v5Name ?? name] = value;
  }
  return out;
}

/** Every bulk field v5 serves, by its v3/v4 name (the client maps names). */
function fields(ctx: PagerContext): string {
  return ctx.spec.fields
    .filter((f) => !f.fullOnly && v5FieldName(f) !== null)
    .map((f) => f.name)
    .join(',');
}

/** ISO 8601 with an explicit offset, as v5 expects (`2024-01-01T05:00:00+00:00`). */
function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + '+00:00';
}

function stalled(ctx: PagerContext, why: string): PagingStalledError {
  return new PagingStalledError(`${why} (${ctx.spec.name})`, {
    object: ctx.spec.name,
    operation: 'queryV5',
  });
}
