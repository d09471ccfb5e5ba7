import type { PardotApi, PardotRecord } from '../pardot/types';
import type { ExtraColumn } from '../sinks/tableColumns';
import type { StreamDefinition } from './definePipeline';

/** Custom field types whose values are lists. */
const MULTI_VALUE_TYPES = new Set(['Checkbox', 'Multi-Select']);

/**
 * Prospect custom fields of the account, as typed extra columns of the prospect table: one
 * per field, named by its API field id, a list of strings for multi-value types and text
 * otherwise. Read (by id, a page or two) only when a prospect stream will run.
 */
export async function customFieldColumns(
  api: PardotApi,
  streams: StreamDefinition[],
): Promise<Record<string, ExtraColumn[]>> {
  if (!streams.some((s) => s.object === 'prospect')) return {};

  const fields: PardotRecord[] = [];
  for (let after = 0; ;) {
    const page = await api.query('customField', {
      id_greater_than: after,
      sort_by: 'id',
      sort_order: 'ascending',
    });
    fields.push(...page.rows);
    if (page.rows.length < 200) break;
    after = Number(page.rows[page.rows.length - 1].id);
  }
  return { prospect: fields.map(columnOf).filter((c): c is ExtraColumn => c !== null) };
}

function columnOf(field: PardotRecord): ExtraColumn | null {
  const name = field.field_id;
  if (typeof name !== 'string' || name === '') return null;
  // `is_record_multiple_responses` is a form setting (keep each response), not a list type.
  return { name, type: MULTI_VALUE_TYPES.has(String(field.type)) ? 'list' : 'str' };
}
