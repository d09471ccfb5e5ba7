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
import { definePipeline, nextDay, queryStreams, runMain, UsageError } from '../src/pipeline';
import { dateWindows } from '../src/sources/dateWindows';

export const daily = definePipeline({
  name: 'daily',
  description: 'Pulls one account-local day (--date, default yesterday) of every object.',
  validate: (args) => {
    if (args.from || args.to) {
      throw new UsageError('daily takes --date; for a range use pipelines/backfill.ts --from --to');
    }
  },
  streams: ({ args, time, yesterday }) => {
    const day = args.date ?? yesterday;
    const theDay = dateWindows({ start: day, end: nextDay(day), zone: time });

    return [
      { object: 'visitorActivity', source: 'export', windows: theDay },
      ...queryStreams(() => theDay),
    ];
  },
});

if (require.main === module) runMain(daily);
