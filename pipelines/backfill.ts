/**
 * The backfill job: every object from `--from` to `--to` (default yesterday), newest first,
 * resumable: a re-run skips finished windows and resumes the others from their marks.
 *
 *   npx ts-node pipelines/backfill.ts --from 2025-01-01
 *   npx ts-node pipelines/backfill.ts --from 2024-01-01 --to 2024-12-31 --dry-run
 *
 * Visitor activity comes through the Export API in the bulk-data guide's growing windows
 * (the last month, the three months before, then eight-month windows), so recent data lands
 * first; every other object pages the query API in monthly windows, newest first.
 */
import { objectSpec } from '../src/pardot/catalogue';
import { definePipeline, nextDay, runMain, UsageError } from '../src/pipeline';
import { take } from 'rxjs';

import { dateWindows } from '../src/sources/dateWindows';
import { newestFirstWindows } from '../src/sources/newestFirstWindows';
import { DAILY_QUERY_OBJECTS } from './daily';

export const backfill = definePipeline({
  name: 'backfill',
  description: 'Pulls every object from --from to --to (default yesterday), newest first.',
  validate: (args) => {
    if (!args.from) throw new UsageError('backfill needs --from YYYY-MM-DD');
    if (args.date) {
      throw new UsageError('backfill takes --from and --to; for one day use --from D --to D');
    }
  },
  streams: ({ args, time, yesterday }) => {
    const range = { start: args.from!, end: nextDay(args.to ?? yesterday), zone: time };
    // Pardot returns only visitors linked to a prospect unless told otherwise.
    const allVisitors = { only_identified: 'false' };
    const monthly = dateWindows({ ...range, step: { months: 1 }, order: 'newest' });

    return [
      { object: 'visitorActivity', source: 'export', windows: newestFirstWindows(range) },
      ...DAILY_QUERY_OBJECTS.map((object) => ({
        object,
        source: 'query' as const,
        windows: readWhole(object)
          ? dateWindows({ ...range, step: { months: 12 }, order: 'newest' }).pipe(take(1))
          : monthly,
        params: object === 'visitor' ? allVisitors : undefined,
      })),
      // Visits have no filter of their own: they are read per visitor changed in the window.
      {
        object: 'visit',
        source: 'query',
        windows: monthly,
        parent: { object: 'visitor', param: 'visitor_ids', params: allVisitors },
      },
    ];
  },
});

/**
 * Objects with no time filter (campaigns, lifecycle stages) are read whole whatever the window:
 * one window is enough for them.
 */
function readWhole(object: string): boolean {
  const spec = objectSpec(object);
  return spec.cursor === 'id' && !(spec.kind === 'event' && spec.created);
}

if (require.main === module) runMain(backfill);
