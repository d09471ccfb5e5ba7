import { objectSpec, type FieldType } from '../pardot/catalogue';

/** A column of an output table: its name in the file, its type, and the record key it reads. */
export interface TableColumn {
  /** Column name in Parquet and NDJSON. */
  name: string;
  type: FieldType;
  /** Key of the value in a PardotRecord (differs from `name` for a renamed custom field). */
  key: string;
}

/** A column the catalogue does not know, declared by the runner (e.g. a custom field). */
export interface ExtraColumn {
  /** Wanted column name, e.g. a prospect custom field's API name. */
  name: string;
  type: FieldType;
  /** Key of the value in records; defaults to `name`. */
  key?: string;
}

/** Suffix given to a custom field whose name collides with a standard field. */
export const CUSTOM_SUFFIX = '__custom';

/**
 * The columns of an object's table: the catalogue's bulk fields in catalogue order, then the
 * declared extra columns in the order given. An extra column whose name is already taken gets
 * `__custom` appended (and more underscores-numbers if that is taken too), so the name is
 * stable for a given field list and never shadows a standard field. Fields marked `fullOnly`
 * are left out: bulk output never carries them.
 */
export function tableColumns(object: string, extra: readonly ExtraColumn[] = []): TableColumn[] {
  const spec = objectSpec(object);
  const columns: TableColumn[] = spec.fields
    .filter((field) => !field.fullOnly)
    .map((field) => ({ name: field.name, type: field.type, key: field.name }));
  const taken = new Set(columns.map((c) => c.name));

  for (const column of extra) {
    const key = column.key ?? column.name;
    // The same record key twice would only repeat a value already written.
    if (columns.some((c) => c.key === key)) continue;
    const name = freeName(column.name, taken);
    taken.add(name);
    columns.push({ name, type: column.type, key });
  }
  return columns;
}

function freeName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;

  const base = `${name}${CUSTOM_SUFFIX}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    if (!taken.has(`${base}${n}`)) return `${base}${n}`;
  }
}
