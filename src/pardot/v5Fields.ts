import { objectSpec, v5FieldName } from './catalogue';

/** v5 names for a comma list of v3/v4 fields; every v5-served catalogue field by default. */
export function v5Fields(object: string, fields: string | number | undefined): string {
  const spec = objectSpec(object);
  const wanted =
    fields === undefined
      ? null
      : String(fields)
          .split(',')
          .map((f) => f.trim());
  const names: string[] = [];
  for (const field of spec.fields) {
    if (field.fullOnly || (wanted && !wanted.includes(field.name))) continue;
    const v5 = v5FieldName(field);
    if (v5) names.push(v5);
  }
  for (const extra of wanted ?? []) {
    if (!spec.fields.some((f) => f.name === extra)) names.push(extra);
  }
  return names.join(',');
}
