import { describe, expect, it } from 'vitest';

import { LocalTime } from '../../src/pardot/LocalTime';
import { RecordTyper } from '../../src/pardot/RecordTyper';

const ny = new LocalTime('America/New_York');
const berlin = new LocalTime('Europe/Berlin');

describe('RecordTyper', () => {
  it('types ids, floats, booleans, text and naive timestamps by the catalogue', () => {
    const typer = new RecordTyper('opportunity', 'naive', () => ny);

    const row = typer.type({
      id: '7',
      value: '12.5',
      probability: 40,
      name: 'Deal',
      created_at: '2024-01-15 09:30:00',
    });

    expect(row).toEqual({
      id: 7,
      value: 12.5,
      probability: 40,
      name: 'Deal',
      created_at: new Date('2024-01-15T14:30:00Z'),
    });
  });

  it('types CSV cells under a header exactly as it types the same keyed row', () => {
    const typer = new RecordTyper('visitorActivity', 'naive', () => ny);
    const header = ['id', 'prospect_id', 'type', 'details', 'created_at', 'Custom_Thing'];
    const cells = ['42', '', '11', 'a, "b"\nc', '2024-11-03 01:30:00', 'x'];

    const row = typer.cells(header)(cells);

    expect(row).toEqual({
      id: 42,
      prospect_id: null,
      type: 11,
      details: 'a, "b"\nc',
      created_at: new Date('2024-11-03T05:30:00Z'),
      Custom_Thing: 'x',
    });
    expect(row).toEqual(typer.type(Object.fromEntries(header.map((k, i) => [k, cells[i]]))));
  });

  it('reads every boolean form', () => {
    const typer = new RecordTyper('list', 'naive', () => ny);
    const forms = [true, false, 1, 0, '1', '0', 'true', 'false'];

    const values = forms.map((v) => typer.type({ is_public: v }).is_public);

    expect(values).toEqual([true, false, true, false, true, false, true, false]);
  });

  it('turns empty strings and nulls into null', () => {
    const typer = new RecordTyper('prospect', 'naive', () => ny);

    expect(typer.type({ id: 1, job_title: '', score: null, crm_last_sync: '' })).toEqual({
      id: 1,
      job_title: null,
      score: null,
      crm_last_sync: null,
    });
  });

  it('keeps custom fields as strings or string lists', () => {
    const typer = new RecordTyper('prospect', 'naive', () => ny);

    const row = typer.type({
      id: 1,
      Shoe_Size: 42,
      Colors: ['red', 'blue'],
      Tags: { value: 'one' },
      nested: { a: 1 },
    });

    expect(row).toEqual({ id: 1, Shoe_Size: '42', Colors: ['red', 'blue'], Tags: ['one'] });
  });

  it('maps v5 names to v3/v4 columns and reads ISO timestamps', () => {
    const typer = new RecordTyper('prospect', 'iso', () => ny);

    const row = typer.type({
      id: 3,
      salesforceLeadId: '00Q1',
      isDeleted: false,
      updatedAt: '2024-03-10T03:30:00-04:00',
      firstName: 'Ada',
    });

    expect(row).toEqual({
      id: 3,
      crm_lead_fid: '00Q1',
      is_archived: false,
      updated_at: new Date('2024-03-10T07:30:00Z'),
      first_name: 'Ada',
    });
  });

  it('converts naive times on both DST days in two zones', () => {
    const nyTyper = new RecordTyper('visitorActivity', 'naive', () => ny);
    const berlinTyper = new RecordTyper('visitorActivity', 'naive', () => berlin);
    const stamps = (t: RecordTyper, ...naive: string[]) =>
      naive.map((n) => (t.type({ created_at: n }).created_at as Date).toISOString());

    expect(
      stamps(
        nyTyper,
        '2024-03-10 01:59:59',
        '2024-03-10 03:00:00',
        '2024-11-03 00:59:59',
        '2024-11-03 01:30:00',
        '2024-11-03 02:00:00',
      ),
    ).toEqual([
      '2024-03-10T06:59:59.000Z',
      '2024-03-10T07:00:00.000Z',
      '2024-11-03T04:59:59.000Z',
      '2024-11-03T05:30:00.000Z',
      '2024-11-03T07:00:00.000Z',
    ]);
    expect(
      stamps(
        berlinTyper,
        '2024-03-31 01:59:59',
        '2024-03-31 03:00:00',
        '2024-10-27 01:59:59',
        '2024-10-27 02:30:00',
        '2024-10-27 03:00:00',
      ),
    ).toEqual([
      '2024-03-31T00:59:59.000Z',
      '2024-03-31T01:00:00.000Z',
      '2024-10-26T23:59:59.000Z',
      '2024-10-27T00:30:00.000Z',
      '2024-10-27T02:00:00.000Z',
    ]);
  });
});
