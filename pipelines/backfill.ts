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
import { take } from 'rxjs';

import { readsWhole } from '../src/pardot/catalogue';
import {
  definePipeline,
  nextDay,
  queryStreams,
  rememberedEnd,
  runMain,
  UsageError,
} from '../src/pipeline';
import { dateWindows } from '../src/sources/dateWindows';
import { newestFirstWindows } from '../src/sources/newestFirstWindows';

export const backfill = definePipeline({
  name: 'backfill',
  description: 'Pulls every object from --from to --to (default yesterday), newest first.',
  validate: (args) => {
    if (!args.from) throw new UsageError('backfill needs --from YYYY-MM-DD');
    if (args.date) {
      throw new UsageError('backfill takes --from and --to; for one day use --from D --to D');
    }
  },
  streams: async ({ args, time, yesterday, state }) => {
    // Without --to, the end is the yesterday of this backfill's first run: a re-run on a later
    // day resumes the same windows rather than shifting them all by a day.
    const to = args.to ?? (await rememberedEnd(state, 'backfill', args.from!, yesterday));
    const range = { start: args.from!, end: nextDay(to), zone: time };
    const monthly = dateWindows({ ...range, step: { months: 1 }, order: 'newest' });
    // Objects with no time filter are read whole in any window: the newest one is enough.
    const once = dateWindows({ ...range, step: { months: 12 }, order: 'newest' }).pipe(take(1));

    return [
      { object: 'visitorActivity', source: 'export', windows: newestFirstWindows(range) },
      ...queryStreams((object) => (readsWhole(object) ? once : monthly)),
    ];
  },
});

if (require.main === module) runMain(backfill);
