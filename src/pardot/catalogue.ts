/**
 * The object catalogue: what pardot-pipes knows about each queryable Pardot object.
 *
 * One entry per object, keyed by the camelCase name used in v3/v4 URLs. Everything that
 * differs between objects (row keys, filters, sorts, cursors, field types, v5 names, export
 * procedures) lives here as data, so the client, the sources, the sinks and the sandbox read
 * the same facts instead of each keeping its own copy. Facts come from Pardot's API
 * documentation (v3/v4 object references, v5 collections) and public client code.
 */

/** How a field's value is typed in records, Parquet and NDJSON. */
export type FieldType =
  /** integer id or count, INT64 in Parquet */
  | 'int'
  /** floating point, DOUBLE */
  | 'num'
  /** UTF-8 text */
  | 'str'
  /** timestamp: naive local time on v3/v4, ISO 8601 on v5; UTC instant in records */
  | 'ts'
  /** boolean from true/false/1/0/"1"/"0" */
  | 'bool'
  /** multi-value text (custom fields), a list of strings */
  | 'list';

export interface FieldSpec {
  /** v3/v4 snake_case name: the column name in every output. */
  name: string;
  type: FieldType;
  /** v5 camelCase name when it is not the plain camelCase of `name`; null when v5 lacks it. */
  v5?: string | null;
  /** Omitted from bulk output (nested relations); kept for full output only. */
  fullOnly?: boolean;
}

export type SortOrder = 'ascending' | 'descending';

/** Which filter family pages an object incrementally. */
export type CursorField = 'id' | 'created_at' | 'updated_at';

export interface ObjectSpec {
  /** camelCase object name in v3/v4 URLs, e.g. `visitorActivity`. */
  name: string;
  /** key of each row under `result` in v3/v4 replies; also the lake directory name. */
  rowKey: string;
  /** snake_case name used for the lake directory (`visitor_activity`). */
  table: string;
  /** v5 collection path segment, when v5 serves the object. */
  v5Collection?: string;
  /** Event objects are append-only and partitioned by created_at; entities change. */
  kind: 'event' | 'entity';
  /** Supports created_after / created_before. */
  created: boolean;
  /** Supports updated_after / updated_before. */
  updated: boolean;
  /** Supports id_greater_than (and id_less_than unless `idGreaterOnly`). */
  id: boolean;
  idGreaterOnly?: boolean;
  /** sort_by values with their default sort_order; absent means no sort_by accepted. */
  sorts?: Record<string, SortOrder>;
  /** Incremental cursor: the filter family the query source pages on. */
  cursor: CursorField;
  /** Whether the `fields` parameter is accepted (prospect, visitor). */
  fieldsParam?: boolean;
  /** Object-specific filters beyond created/updated/id, with their value kind. */
  filters: Record<string, FilterKind>;
  /** Parent needed to query at all (visit needs one of ids/visitor_ids/prospect_ids). */
  requiresOneOf?: string[];
  fields: FieldSpec[];
  /** Export API procedures, when the object is exportable. */
  exportProcedures?: Record<string, ExportProcedureSpec>;
}

export type FilterKind = 'int' | 'intList' | 'bool' | 'str' | 'ts' | 'grade' | 'flag';

export interface ExportProcedureSpec {
  /** Argument names; the first is required. */
  arguments: string[];
  /** Record field the procedure filters on. */
  field: 'created_at' | 'updated_at';
}

const f = (name: string, type: FieldType, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  type,
  ...extra,
});

const ints = (...names: string[]) => names.map((n) => f(n, 'int'));
const strs = (...names: string[]) => names.map((n) => f(n, 'str'));
const bools = (...names: string[]) => names.map((n) => f(n, 'bool'));
const stamps = (...names: string[]) => names.map((n) => f(n, 'ts'));

const DESC: SortOrder = 'descending';
const ASC: SortOrder = 'ascending';

const VISITOR_ACTIVITY_RELATIONS = [
  'campaign_id',
  'custom_url_id',
  'email_id',
  'file_id',
  'form_id',
  'form_handler_id',
  'landing_page_id',
  'prospect_id',
  'visitor_id',
];

const OBJECTS: ObjectSpec[] = [
  {
    name: 'visitorActivity',
    rowKey: 'visitor_activity',
    table: 'visitor_activity',
    v5Collection: 'visitor-activities',
    kind: 'event',
    created: true,
    updated: true,
    id: true,
    sorts: {
      created_at: DESC,
      id: ASC,
      prospect_id: DESC,
      visitor_id: DESC,
      updated_at: DESC,
    },
    cursor: 'created_at',
    filters: {
      prospect_only: 'bool',
      type: 'intList',
      custom_url_only: 'flag',
      email_only: 'flag',
      file_only: 'flag',
      form_only: 'flag',
      form_handler_only: 'flag',
      landing_page_only: 'flag',
      ...Object.fromEntries(VISITOR_ACTIVITY_RELATIONS.map((r) => [r, 'intList' as const])),
    },
    fields: [
      ...ints('id', 'prospect_id', 'visitor_id', 'type'),
      ...strs('type_name', 'details'),
      ...ints(
        'email_id',
        'email_template_id',
        'list_email_id',
        'form_id',
        'form_handler_id',
        'site_search_query_id',
        'landing_page_id',
        'paid_search_ad_id',
        'multivariate_test_variation_id',
        'visitor_page_view_id',
        'file_id',
        'custom_redirect_id',
        'campaign_id',
        'visit_id',
      ),
      ...stamps('created_at', 'updated_at'),
    ],
    exportProcedures: {
      filter_by_created_at: {
        arguments: ['created_after', 'created_before', 'type', 'prospectOnly'],
        field: 'created_at',
      },
      filter_by_updated_at: {
        arguments: ['updated_after', 'updated_before', 'type', 'prospectOnly'],
        field: 'updated_at',
      },
    },
  },
  {
    name: 'prospect',
    rowKey: 'prospect',
    table: 'prospect',
    v5Collection: 'prospects',
    kind: 'entity',
    created: true,
    updated: true,
    id: true,
    sorts: { created_at: DESC, id: ASC, last_activity_at: DESC, updated_at: DESC },
    cursor: 'updated_at',
    fieldsParam: true,
    filters: {
      assigned: 'bool',
      assigned_to_user: 'str',
      deleted: 'bool',
      grade_equal_to: 'grade',
      grade_greater_than: 'grade',
      grade_less_than: 'grade',
      is_starred: 'bool',
      last_activity_after: 'ts',
      last_activity_before: 'ts',
      last_activity_never: 'flag',
      list_id: 'int',
      new: 'bool',
      score_equal_to: 'int',
      score_greater_than: 'int',
      score_less_than: 'int',
      limit_related_records: 'flag',
    },
    fields: [
      ...ints('id', 'campaign_id'),
      ...strs('salutation', 'first_name', 'last_name', 'email', 'password', 'company'),
      ...ints('prospect_account_id'),
      ...strs(
        'website',
        'job_title',
        'department',
        'country',
        'address_one',
        'address_two',
        'city',
        'state',
        'territory',
        'zip',
        'phone',
        'fax',
        'source',
        'annual_revenue',
        'employees',
        'industry',
        'years_in_business',
        'comments',
        'notes',
      ),
      ...ints('score'),
      ...strs('grade'),
      ...stamps('last_activity_at'),
      ...strs('recent_interaction'),
      f('crm_lead_fid', 'str', { v5: 'salesforceLeadId' }),
      f('crm_contact_fid', 'str', { v5: 'salesforceContactId' }),
      f('crm_owner_fid', 'str', { v5: 'salesforceOwnerId' }),
      f('crm_account_fid', 'str', { v5: 'salesforceAccountId' }),
      f('crm_last_sync', 'ts', { v5: 'salesforceLastSync' }),
      f('crm_url', 'str', { v5: 'salesforceUrl' }),
      ...bools('is_do_not_email', 'is_do_not_call'),
      f('opted_out', 'bool'),
      ...bools('is_reviewed', 'is_starred'),
      ...stamps('created_at', 'updated_at'),
      f('is_archived', 'bool', { v5: 'isDeleted' }),
    ],
    exportProcedures: {
      filter_by_updated_at: {
        arguments: ['updated_after', 'updated_before', 'deleted'],
        field: 'updated_at',
      },
    },
  },
  {
    name: 'visitor',
    rowKey: 'visitor',
    table: 'visitor',
    v5Collection: 'visitors',
    kind: 'entity',
    created: true,
    updated: true,
    id: true,
    sorts: { created_at: DESC, id: ASC, updated_at: DESC },
    cursor: 'updated_at',
    fieldsParam: true,
    filters: { only_identified: 'bool', prospect_ids: 'intList' },
    fields: [
      ...ints('id', 'page_view_count'),
      ...strs(
        'ip_address',
        'hostname',
        'campaign_parameter',
        'medium_parameter',
        'source_parameter',
        'content_parameter',
        'term_parameter',
      ),
      ...ints('prospect_id'),
      ...stamps('created_at', 'updated_at'),
    ],
    exportProcedures: {
      filter_by_updated_at: { arguments: ['updated_after', 'updated_before'], field: 'updated_at' },
    },
  },
  {
    name: 'visit',
    rowKey: 'visit',
    table: 'visit',
    v5Collection: 'visits',
    kind: 'event',
    created: false,
    updated: false,
    id: false,
    cursor: 'id',
    filters: { ids: 'intList', visitor_ids: 'intList', prospect_ids: 'intList' },
    requiresOneOf: ['ids', 'visitor_ids', 'prospect_ids'],
    fields: [
      ...ints('id', 'visitor_id', 'prospect_id', 'visitor_page_view_count'),
      ...stamps('first_visitor_page_view_at', 'last_visitor_page_view_at'),
      ...ints('duration_in_seconds'),
      ...strs(
        'campaign_parameter',
        'medium_parameter',
        'source_parameter',
        'content_parameter',
        'term_parameter',
      ),
      ...stamps('created_at', 'updated_at'),
    ],
  },
  {
    name: 'listMembership',
    rowKey: 'list_membership',
    table: 'list_membership',
    v5Collection: 'list-memberships',
    kind: 'entity',
    created: true,
    updated: true,
    id: true,
    sorts: { created_at: DESC, id: ASC },
    cursor: 'updated_at',
    filters: { list_id: 'int', deleted: 'bool' },
    fields: [
      ...ints('id', 'list_id', 'prospect_id'),
      f('opted_out', 'bool'),
      ...stamps('created_at', 'updated_at'),
    ],
    exportProcedures: {
      filter_by_created_at: {
        arguments: ['created_after', 'created_before', 'deleted'],
        field: 'created_at',
      },
      filter_by_updated_at: {
        arguments: ['updated_after', 'updated_before', 'deleted'],
        field: 'updated_at',
      },
    },
  },
  {
    name: 'list',
    rowKey: 'list',
    table: 'list',
    v5Collection: 'lists',
    kind: 'entity',
    created: true,
    updated: true,
    id: true,
    sorts: { created_at: DESC, id: ASC, name: ASC, updated_at: DESC },
    cursor: 'updated_at',
    filters: { name: 'str' },
    fields: [
      ...ints('id'),
      ...strs('name'),
      ...bools('is_public', 'is_dynamic'),
      ...strs('title', 'description'),
      ...bools('is_crm_visible'),
      ...stamps('created_at', 'updated_at'),
    ],
  },
  {
    name: 'opportunity',
    rowKey: 'opportunity',
    table: 'opportunity',
    v5Collection: 'opportunities',
    kind: 'entity',
    created: true,
    updated: false,
    id: true,
    sorts: { created_at: DESC, id: ASC, probability: DESC, value: DESC },
    cursor: 'created_at',
    filters: {
      probability_greater_than: 'int',
      probability_less_than: 'int',
      value_greater_than: 'int',
      value_less_than: 'int',
      prospect_email: 'str',
      prospect_id: 'int',
    },
    fields: [
      ...ints('id', 'campaign_id'),
      ...strs('name'),
      f('value', 'num'),
      ...ints('probability'),
      ...strs('type', 'stage', 'status'),
      ...stamps('closed_at', 'created_at', 'updated_at'),
    ],
  },
  {
    name: 'campaign',
    rowKey: 'campaign',
    table: 'campaign',
    v5Collection: 'campaigns',
    kind: 'entity',
    created: true,
    updated: true,
    id: true,
    sorts: { created_at: DESC, id: ASC, name: ASC, updated_at: DESC, cost: DESC },
    // Campaign rows carry no timestamps (Pardot's campaign field reference), so a time mark
    // cannot be read back from them: campaigns are re-read whole, by id.
    cursor: 'id',
    filters: { name: 'str' },
    fields: [...ints('id'), ...strs('name'), ...ints('cost')],
  },
  {
    name: 'emailClick',
    rowKey: 'emailClick',
    table: 'email_click',
    kind: 'event',
    created: true,
    updated: false,
    id: true,
    idGreaterOnly: true,
    cursor: 'id',
    filters: {
      list_email_id: 'int',
      drip_program_action_id: 'int',
      email_template_id: 'int',
      tracker_redirect_id: 'int',
    },
    fields: [
      ...ints('id', 'prospect_id'),
      ...strs('url'),
      ...ints(
        'list_email_id',
        'drip_program_action_id',
        'email_template_id',
        'tracker_redirect_id',
      ),
      ...stamps('created_at'),
    ],
  },
  {
    name: 'form',
    rowKey: 'form',
    table: 'form',
    v5Collection: 'forms',
    kind: 'entity',
    created: true,
    updated: true,
    id: true,
    sorts: { created_at: DESC, id: ASC, updated_at: DESC },
    cursor: 'updated_at',
    filters: {},
    fields: [
      ...ints('id'),
      ...strs('name'),
      ...ints('campaign_id'),
      ...strs('embed_code'),
      ...stamps('created_at', 'updated_at'),
    ],
  },
  {
    name: 'customField',
    rowKey: 'customField',
    table: 'custom_field',
    v5Collection: 'custom-fields',
    kind: 'entity',
    created: true,
    updated: false,
    id: true,
    sorts: { created_at: DESC, id: ASC, name: ASC },
    cursor: 'created_at',
    filters: {},
    fields: [
      ...ints('id'),
      ...strs('name', 'field_id', 'type'),
      ...ints('type_id'),
      ...stamps('created_at', 'updated_at'),
      f('is_record_multiple_responses', 'bool'),
      f('crm_id', 'str'),
      f('is_use_values', 'bool'),
    ],
  },
  {
    name: 'customRedirect',
    rowKey: 'customRedirect',
    table: 'custom_redirect',
    v5Collection: 'custom-redirects',
    kind: 'entity',
    created: true,
    updated: true,
    id: true,
    sorts: { created_at: DESC, id: ASC, updated_at: DESC },
    cursor: 'updated_at',
    filters: {},
    fields: [
      ...ints('id'),
      ...strs('name', 'url', 'destination', 'campaign'),
      ...stamps('created_at', 'updated_at'),
    ],
  },
  {
    name: 'dynamicContent',
    rowKey: 'dynamicContent',
    table: 'dynamic_content',
    v5Collection: 'dynamic-contents',
    kind: 'entity',
    created: true,
    updated: true,
    id: true,
    sorts: { created_at: DESC, id: ASC, updated_at: DESC },
    cursor: 'updated_at',
    filters: {},
    fields: [
      ...ints('id'),
      f('name', 'str'),
      f('embedCode', 'str', { v5: 'embedCode' }),
      f('embedUrl', 'str', { v5: 'embedUrl' }),
      f('baseContent', 'str', { v5: 'baseContent' }),
      f('basedOn', 'str', { v5: 'basedOn' }),
      ...stamps('created_at', 'updated_at'),
    ],
  },
  {
    name: 'lifecycleHistory',
    rowKey: 'lifecycleHistory',
    table: 'lifecycle_history',
    v5Collection: 'lifecycle-histories',
    kind: 'event',
    created: true,
    updated: false,
    id: true,
    sorts: { created_at: ASC, id: ASC },
    cursor: 'created_at',
    filters: {},
    fields: [
      ...ints('id', 'prospect_id', 'previous_stage_id', 'next_stage_id', 'seconds_elapsed'),
      ...stamps('created_at'),
    ],
  },
  {
    name: 'lifecycleStage',
    rowKey: 'lifecycleStage',
    table: 'lifecycle_stage',
    v5Collection: 'lifecycle-stages',
    kind: 'entity',
    created: false,
    updated: false,
    id: true,
    sorts: { position: ASC, id: ASC },
    cursor: 'id',
    filters: {},
    fields: [...ints('id'), ...strs('name'), ...ints('position'), ...bools('is_locked')],
  },
  {
    name: 'prospectAccount',
    rowKey: 'prospectAccount',
    table: 'prospect_account',
    v5Collection: 'prospect-accounts',
    kind: 'entity',
    created: true,
    updated: true,
    id: true,
    sorts: { created_at: DESC, id: ASC, name: ASC, updated_at: ASC },
    cursor: 'updated_at',
    filters: { name: 'str' },
    fields: [...ints('id'), ...strs('name'), ...stamps('created_at', 'updated_at')],
  },
  {
    name: 'tag',
    rowKey: 'tag',
    table: 'tag',
    v5Collection: 'tags',
    kind: 'entity',
    created: true,
    updated: true,
    id: true,
    sorts: { created_at: DESC, id: ASC, name: ASC, updated_at: DESC },
    cursor: 'updated_at',
    filters: { name: 'str' },
    fields: [...ints('id'), ...strs('name'), ...stamps('created_at', 'updated_at')],
  },
  {
    name: 'tagObject',
    rowKey: 'tagObject',
    table: 'tag_object',
    v5Collection: 'tagged-objects',
    kind: 'event',
    created: true,
    updated: false,
    id: true,
    sorts: { created_at: DESC, id: ASC },
    cursor: 'created_at',
    filters: { tag_id: 'int', type: 'str', object_id: 'int' },
    fields: [
      ...ints('id', 'tag_id'),
      ...strs('type'),
      ...ints('object_id'),
      ...stamps('created_at'),
    ],
  },
  {
    name: 'user',
    rowKey: 'user',
    table: 'user',
    v5Collection: 'users',
    kind: 'entity',
    created: true,
    updated: false,
    id: true,
    sorts: { created_at: DESC, id: ASC },
    cursor: 'created_at',
    filters: {},
    fields: [
      ...ints('id'),
      ...strs('email', 'first_name', 'last_name', 'job_title', 'role'),
      ...stamps('created_at', 'updated_at'),
      f('timezone', 'str', { fullOnly: true }),
    ],
  },
];

export const CATALOGUE: ReadonlyMap<string, ObjectSpec> = new Map(OBJECTS.map((o) => [o.name, o]));

/** Every queryable object name, in catalogue order. */
export const OBJECT_NAMES: readonly string[] = OBJECTS.map((o) => o.name);

/** Thrown for an object name the catalogue does not know. */
export class UnknownObjectError extends Error {
  readonly code = 'PARDOT_UNKNOWN_OBJECT';
  constructor(readonly object: string) {
    super(`unknown Pardot object '${object}'; known objects: ${OBJECT_NAMES.join(', ')}`);
    this.name = 'UnknownObjectError';
  }
}

/**
 * Looks an object up by its v3/v4 URL name (`visitorActivity`), its table name
 * (`visitor_activity`) or its v5 collection (`visitor-activities`).
 */
export function objectSpec(name: string): ObjectSpec {
  const direct = CATALOGUE.get(name);
  if (direct) return direct;

  const found = OBJECTS.find((o) => o.table === name || o.v5Collection === name);
  if (!found) throw new UnknownObjectError(name);
  return found;
}

/**
 * Whether an object has no time filter to keep a window to (campaigns, lifecycle stages):
 * any window reads it whole. Objects read through a parent (visits) are not: the window
 * selects their parents.
 */
export function readsWhole(object: string): boolean {
  const spec = objectSpec(object);
  if (spec.requiresOneOf) return false;
  return spec.cursor === 'id' && !(spec.kind === 'event' && spec.created);
}

/** The v5 camelCase name of a v3/v4 field, or null when v5 does not serve it. */
export function v5FieldName(field: FieldSpec): string | null {
  if (field.v5 !== undefined) return field.v5;
  return field.name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Visitor activity `type` codes and names (Pardot's visitor activity reference). */
export const VISITOR_ACTIVITY_TYPES: Readonly<Record<number, string>> = {
  1: 'Click',
  2: 'View',
  3: 'Error',
  4: 'Success',
  5: 'Session',
  6: 'Sent',
  7: 'Search',
  8: 'New Opportunity',
  9: 'Opportunity Won',
  10: 'Opportunity Lost',
  11: 'Open',
  12: 'Unsubscribe Page',
  13: 'Bounced',
  14: 'Spam Complaint',
  15: 'Email Preference Page',
  16: 'Resubscribed',
  17: 'Click (Third Party)',
  18: 'Opportunity Reopened',
  19: 'Opportunity Linked',
  20: 'Visit',
  21: 'Custom URL click',
  22: 'Olark Chat',
  23: 'Invited to Webinar',
  24: 'Attended Webinar',
  25: 'Registered for Webinar',
  26: 'Social Post Click',
  27: 'Video View',
  28: 'Event Registered',
  29: 'Event Checked In',
  30: 'Video Conversion',
  31: 'UserVoice Suggestion',
  32: 'UserVoice Comment',
  33: 'UserVoice Ticket',
  34: 'Video Watched',
  35: 'Indirect Unsubscribe Open',
  36: 'Indirect Bounce',
  37: 'Indirect Resubscribed',
  38: 'Opportunity Unlinked',
};
