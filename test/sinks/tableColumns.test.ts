import { describe, expect, it } from 'vitest';

import { parquetSchema } from '../../src/sinks/parquetSchema';
import { tableColumns } from '../../src/sinks/tableColumns';

describe('tableColumns', () => {
  it('lists the catalogue fields and leaves full-output fields out', () => {
    const names = tableColumns('user').map((c) => c.name);

    expect(names).toEqual([
      'id',
      'email',
      'first_name',
      'last_name',
      'job_title',
      'role',
      'created_at',
      'updated_at',
    ]);
  });

  it('appends declared extra columns and suffixes a name that collides', () => {
    const columns = tableColumns('prospect', [
      { name: 'Favourite_Colour__c', type: 'str' },
      { name: 'email', type: 'str', key: 'custom:email' },
      { name: 'email', type: 'list', key: 'custom:email2' },
      { name: 'score', type: 'int' },
    ]);

    expect(columns.slice(-3)).toEqual([
      { name: 'Favourite_Colour__c', type: 'str', key: 'Favourite_Colour__c' },
      { name: 'email__custom', type: 'str', key: 'custom:email' },
      { name: 'email__custom2', type: 'list', key: 'custom:email2' },
    ]);
  });
});

describe('parquetSchema', () => {
  it('types ids, timestamps, booleans, text, numbers and lists', () => {
    const schema = parquetSchema([
      { name: 'id', type: 'int', key: 'id' },
      { name: 'at', type: 'ts', key: 'at' },
      { name: 'ok', type: 'bool', key: 'ok' },
      { name: 'v', type: 'num', key: 'v' },
      { name: 'tags', type: 'list', key: 'tags' },
    ]);

    expect(schema).toEqual([
      { name: 'root', num_children: 5 },
      { name: 'id', repetition_type: 'OPTIONAL', type: 'INT64' },
      {
        name: 'at',
        repetition_type: 'OPTIONAL',
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
      },
      { name: 'ok', repetition_type: 'OPTIONAL', type: 'BOOLEAN' },
      { name: 'v', repetition_type: 'OPTIONAL', type: 'DOUBLE' },
      {
        name: 'tags',
        repetition_type: 'OPTIONAL',
        converted_type: 'LIST',
        logical_type: { type: 'LIST' },
        num_children: 1,
      },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      {
        name: 'element',
        repetition_type: 'OPTIONAL',
        type: 'BYTE_ARRAY',
        converted_type: 'UTF8',
        logical_type: { type: 'STRING' },
      },
    ]);
  });
});
