/**
 * The daily job: one account-local day (`--date`, default yesterday) of every object.
 *
 *   npx ts-node pipelines/daily.ts                 # yesterday, into ./lake as Parquet
 *   npx ts-node pipelines/daily.ts --date 2026-11-30 --objects prospect,visitorActivity
 *
 * Visitor activity, the big one, comes through the Export API; every other object pages the
 * query API on its cursor (created_at for events, updated_at for entities, id for the rest)
 * within the day, with a mark saved after each committed file.
 */
import { concatMap, from } from 'rxjs';

import {
  definePipeline,
  nextDay,
  pendingDays,
  QUERY_OBJECTS,
  queryStreams,
  runMain,
  UsageError,
} from '../src/pipeline';
import { dateWindows } from '../src/sources/dateWindows';

/** Every stream of the daily job: a day is finished once all of them are. */
const DAILY_STREAMS = ['visitorActivity', ...QUERY_OBJECTS, 'visit'];

export const daily = definePipeline({
  name: 'daily',
  description: 'Pulls one account-local day (--date, default yesterday) of every object.',
  validate: (args) => {
    if (args.from || args.to) {
      throw new UsageError('daily takes --date; for a range use pipelines/backfill.ts --from --to');
    }
  },
  streams: async ({ args, time, yesterday, state }) => {
    const day = args.date ?? yesterday;
    // Without --date, days an earlier run did not finish (quota, interrupt) come first.
    const pending = await pendingDays(state, 'daily', DAILY_STREAMS, time, day);
    const days = args.date ? [day] : pending;
    const windows = from(days).pipe(
      concatMap((d) => dateWindows({ start: d, end: nextDay(d), zone: time })),
    );

    return [
      { object: 'visitorActivity', source: 'export', windows },
      ...queryStreams(() => windows),
    ];
  },
});

if (require.main === module) runMain(daily);
