import type { Readable } from 'node:stream';

import type { LocalTime } from './LocalTime';

/**
 * A typed record, keyed by v3/v4 snake_case field names whatever API version served it.
 * ids and counts are numbers, timestamps are `Date` (UTC instants), booleans are booleans,
 * multi-value custom fields are string arrays. A field the API did not return is absent
 * (sinks write it as null).
 */
export type RecordValue = number | string | boolean | Date | string[] | null;
export type PardotRecord = Record<string, RecordValue>;

/** Parameters of a v3/v4 query, sent as given (values are strings or numbers). */
export type QueryParams = Record<string, string | number | undefined>;

export interface QueryPage {
  /** Typed rows in server order; an empty page is an empty array. */
  rows: PardotRecord[];
  /** `total_results` when the server sent it (never with output=bulk); for information only. */
  totalResults?: number;
}

export interface V5Page {
  rows: PardotRecord[];
  nextPageToken: string | null;
  nextPageUrl: string | null;
  /** `Pardot-Warning` codes on the reply; 203 means the token chain was cut, not the end. */
  warnings: number[];
}

export type ExportState = 'Waiting' | 'Processing' | 'Complete' | 'Failed';

export interface ExportJob {
  id: number;
  state: ExportState;
  isExpired: boolean;
  /** Download links, normalised to an array (absent or empty when there is no data). */
  resultRefs: string[];
  createdAt?: string;
  updatedAt?: string;
}

export interface ExportRequest {
  /** v3/v4 object name, e.g. `visitorActivity`. */
  object: string;
  /** Procedure name, e.g. `filter_by_created_at`. */
  procedure: string;
  /** Procedure arguments; timestamps as naive local `YYYY-MM-DD HH:MM:SS`. */
  arguments: Record<string, string | boolean | number[]>;
  /** Fields to export (v3/v4 names); all available when absent. */
  fields?: string[];
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Object the call serves, for events and errors when the call itself does not name it. */
  object?: string;
}

/**
 * What the sources need from the API. `PardotClient` implements it over HTTP; tests may
 * implement it directly. Every call passes the process-wide governor, counts against the
 * daily budget, is retried when retriable, and throws a typed error otherwise.
 */
export interface PardotApi {
  /** The API user's zone, for naive v3/v4 timestamps. */
  readonly time: LocalTime;
  /** The API version in use for v3/v4 calls (3 or 4), after any 88/89 switch. */
  readonly version: 3 | 4 | 5;

  /** One page of a v3/v4 query (`output=bulk`, `format=json` unless given). */
  query(object: string, params: QueryParams, options?: RequestOptions): Promise<QueryPage>;

  /** The same query, sent as a POST form body (for long id lists). */
  queryPost(object: string, params: QueryParams, options?: RequestOptions): Promise<QueryPage>;

  /** First page of a v5 query; `fields` are v3/v4 names, mapped through the catalogue. */
  queryV5(
    object: string,
    params: Record<string, string | number | undefined>,
    options?: RequestOptions,
  ): Promise<V5Page>;

  /** A following v5 page, from `nextPageUrl` as given. */
  nextV5(object: string, nextPageUrl: string, options?: RequestOptions): Promise<V5Page>;

  createExport(request: ExportRequest, options?: RequestOptions): Promise<ExportJob>;
  readExport(id: number, options?: RequestOptions): Promise<ExportJob>;

  /**
   * Streams one export file. The governor slot is held until the stream ends or is
   * destroyed, so downloads count towards the in-flight limit.
   */
  download(url: string, options?: RequestOptions): Promise<Readable>;

  /** Types a CSV or v5 row by the catalogue, as query rows are typed. */
  typeRow(object: string, raw: Record<string, unknown>): PardotRecord;

  /**
   * A typer of CSV records (arrays of cells) under one header row, typed as `typeRow` would
   * type the same row keyed by the header: built once per file, so each row costs no lookups.
   */
  csvTyper(object: string, header: readonly string[]): (cells: readonly string[]) => PardotRecord;

  /** Calls made so far in this process (all kinds, retries included). */
  readonly calls: number;
}
