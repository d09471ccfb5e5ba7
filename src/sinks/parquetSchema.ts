import type { ParquetWriter } from 'hyparquet-writer';

import type { FieldType } from '../pardot/catalogue';
import type { TableColumn } from './tableColumns';

/** A Parquet schema element, as hyparquet-writer takes it. */
export type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

/**
 * The Parquet schema of a table: one OPTIONAL column per table column (any field may be
 * absent from a row), typed so DuckDB, Spark and pyarrow read it without casts:
 *
 * | field type | Parquet                                              | DuckDB                   |
 * |------------|------------------------------------------------------|--------------------------|
 * | int        | INT64                                                | BIGINT                   |
 * | num        | DOUBLE                                               | DOUBLE                   |
 * | str        | BYTE_ARRAY, UTF8 / STRING                            | VARCHAR                  |
 * | ts         | INT64, TIMESTAMP(isAdjustedToUTC=true, MILLIS)       | TIMESTAMP WITH TIME ZONE |
 * | bool       | BOOLEAN                                              | BOOLEAN                  |
 * | list       | 3-level LIST of UTF8 (`list` / `element`)            | VARCHAR[]                |
 *
 * Counts share INT64 with ids: Pardot documents neither bound, and one integer type keeps
 * the schema stable across accounts.
 */
export function parquetSchema(columns: readonly TableColumn[]): SchemaElement[] {
  const root: SchemaElement = { name: 'root', num_children: columns.length };
  return [root, ...columns.flatMap((column) => columnElements(column.name, column.type))];
}

function columnElements(name: string, type: FieldType): SchemaElement[] {
  const repetition_type = 'OPTIONAL';
  switch (type) {
    case 'int':
      return [{ name, repetition_type, type: 'INT64' }];
    case 'num':
      return [{ name, repetition_type, type: 'DOUBLE' }];
    case 'bool':
      return [{ name, repetition_type, type: 'BOOLEAN' }];
    case 'str':
      return [{ name, repetition_type, ...UTF8 }];
    case 'ts':
      return [
        {
          name,
          repetition_type,
          type: 'INT64',
          converted_type: 'TIMESTAMP_MILLIS',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
        },
      ];
    case 'list':
      return [
        {
          name,
          repetition_type,
          converted_type: 'LIST',
          logical_type: { type: 'LIST' },
          num_children: 1,
        },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', repetition_type: 'OPTIONAL', ...UTF8 },
      ];
  }
}

const UTF8 = {
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  logical_type: { type: 'STRING' },
} as const satisfies Partial<SchemaElement>;
