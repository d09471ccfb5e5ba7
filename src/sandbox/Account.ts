import { objectSpec } from '../pardot/catalogue';
import { LocalTime } from '../pardot/LocalTime';
import { AccountDays } from './AccountDays';
import { activityIdStride, generateActivityDay } from './ActivityGenerator';
import { DayTable } from './DayTable';
import { DEFAULT_COUNTS, ENTITY_ORDER, generateEntities } from './EntityGenerator';
import { EntityTable, type Table } from './Table';

export interface AccountOptions {
  seed: number;
  timezone: string;
  /** Clock time the generated history ends at, epoch ms. */
  nowMs: number;
  historyDays: number;
  visitorActivitiesPerDay: number;
  counts: Record<string, number>;
}

/** The data of one business unit: its zone and a table per catalogue object. */
export class Account {
  readonly time: LocalTime;
  readonly days: AccountDays;
  readonly tables = new Map<string, Table>();
  /** Id of the API user (the first user row). */
  readonly apiUserId: number;

  constructor(readonly options: AccountOptions) {
    this.time = new LocalTime(options.timezone);
    this.days = new AccountDays(this.time);
    const today = this.days.indexOf(options.nowMs);
    const entities = generateEntities({
      seed: options.seed,
      historyStartMs: this.days.start(today - options.historyDays),
      // Generated as of the start of today, not the start instant: every sandbox started on
      // the same account day (a re-run, a resume after a crash) serves the same data.
      nowMs: this.days.start(today),
      timezone: options.timezone,
      counts: { ...DEFAULT_COUNTS, ...options.counts },
    });
    for (const name of ENTITY_ORDER) {
      this.tables.set(name, new EntityTable(objectSpec(name), entities.get(name) ?? []));
    }
    this.apiUserId = entities.get('user')?.[0]?.id ?? 0;

    const ids = (name: string) => (entities.get(name) ?? []).map((r) => r.id);
    const stride = activityIdStride(options.visitorActivitiesPerDay);
    const generatorOptions = {
      seed: options.seed,
      days: this.days,
      perDay: options.visitorActivitiesPerDay,
      idBase: 0,
      idStride: stride,
      prospectIds: ids('prospect'),
      visitorIds: ids('visitor'),
      campaignIds: ids('campaign'),
    };
    this.tables.set(
      'visitorActivity',
      new DayTable({
        spec: objectSpec('visitorActivity'),
        days: this.days,
        firstDay: today - options.historyDays,
        idBase: 0,
        idStride: stride,
        generate: (day) => generateActivityDay(generatorOptions, day),
      }),
    );
  }

  table(object: string): Table {
    const table = this.tables.get(objectSpec(object).name);
    if (!table) throw new Error(`no table for ${object}`);
    return table;
  }
}
