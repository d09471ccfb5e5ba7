import { describe, expect, it } from 'vitest';

import { objectSpec } from '../../src/pardot/catalogue';
import { LocalTime } from '../../src/pardot/LocalTime';
import { hasRepeatedHour, planQuery } from '../../src/sources/queryPlan';

const time = new LocalTime('America/New_York');
const day = (iso: string) => ({
  startMs: time.dayStart(iso),
  endMs: time.dayStart(iso) + 86_400_000,
});

describe('planQuery', () => {
  it('pages events by created_at time and entities by updated_at time', () => {
    const window = day('2024-05-01');

    const plans = ['visitorActivity', 'prospect'].map((o) =>
      planQuery(objectSpec(o), window, time),
    );

    expect(plans).toEqual([
      { strategy: 'time', timeField: 'created_at', idSortable: true },
      { strategy: 'time', timeField: 'updated_at', idSortable: true },
    ]);
  });

  it('pages by id where the cursor is id or cannot be sorted on', () => {
    const window = day('2024-05-01');

    const plans = ['emailClick', 'campaign', 'listMembership'].map((o) =>
      planQuery(objectSpec(o), window, time),
    );

    expect(plans).toEqual([
      { strategy: 'id', timeField: 'created_at', idSortable: false },
      { strategy: 'id', timeField: null, idSortable: true },
      { strategy: 'id', timeField: 'updated_at', idSortable: true },
    ]);
  });

  it('pages by id in windows that hold the repeated autumn hour', () => {
    const autumn = { startMs: time.dayStart('2024-11-03'), endMs: time.dayStart('2024-11-04') };

    const plan = planQuery(objectSpec('visitorActivity'), autumn, time);

    expect(plan.strategy).toBe('id');
  });
});

describe('hasRepeatedHour', () => {
  it('finds the autumn hour, not the spring gap, even in a year ending on the same offset', () => {
    const spring = { startMs: time.dayStart('2024-03-10'), endMs: time.dayStart('2024-03-11') };
    const year = { startMs: time.dayStart('2024-01-01'), endMs: time.dayStart('2025-01-01') };
    const may = day('2024-05-01');

    const found = [spring, year, may].map((w) => hasRepeatedHour(w, time));

    expect(found).toEqual([false, true, false]);
  });
});
