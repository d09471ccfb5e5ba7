import { describe, expect, it } from 'vitest';

import { SinkError } from '../../src/pardot/errors';
import { ndjsonLine } from '../../src/sinks/ndjsonLine';
import { jsonValue } from '../../src/sinks/columnValue';
import { tableColumns } from '../../src/sinks/tableColumns';
import { OBJECT_NAMES } from '../../src/pardot/catalogue';
import { syntheticRecords } from './fixtures/syntheticRecords';

describe('ndjsonLine', () => {
  const columns = tableColumns('emailClick');

  it('writes every column in order, absent fields as null, timestamps in UTC with Z', () => {
    const row = {
      id: 7,
      prospect_id: 9007199254740993n as unknown as number,
      url: 'https://x.test/a?b="c"\nd 😀',
      created_at: new Date(Date.UTC(2024, 2, 10, 7, 30, 1, 5)),
      extra: 'ignored',
    };

    const line = ndjsonLine(row, columns);

    expect(line).toBe(
      '{"id":7,"prospect_id":"9007199254740993","url":"https://x.test/a?b=\\"c\\"\\nd 😀",' +
        '"list_email_id":null,"drip_program_action_id":null,"email_template_id":null,' +
        '"tracker_redirect_id":null,"created_at":"2024-03-10T07:30:01.005Z"}\n',
    );
  });

  it('refuses a value of the wrong type for its column', () => {
    expect(() => ndjsonLine({ id: 'seven' }, columns)).toThrow(SinkError);
    expect(() => ndjsonLine({ id: 'seven' }, columns)).toThrow(
      "column 'id' (int) cannot hold a string value",
    );
  });

  it('writes exactly what JSON.stringify writes for the same object, for every object', () => {
    for (const object of OBJECT_NAMES) {
      const columns = tableColumns(object);
      for (const row of syntheticRecords(object, 12, Date.UTC(2024, 10, 3, 5))) {
        const asObject = Object.fromEntries(
          columns.map((c) => [c.name, jsonValue(c.type, row[c.key], c.name)]),
        );

        expect(ndjsonLine(row, columns)).toBe(JSON.stringify(asObject) + '\n');
      }
    }
  });
});
