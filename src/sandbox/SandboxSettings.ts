/** Fault probabilities, each in [0, 1], drawn per API request from the seeded stream. */
export interface FaultSettings {
  /** Reply HTTP 500 with an HTML body. Default 0. */
  http500: number;
  /** Reply HTTP 502. Default 0. */
  http502: number;
  /** Reply HTTP 503. Default 0. */
  http503: number;
  /** Reply HTTP 504. Default 0. */
  http504: number;
  /** Send the headers and part of the body, then destroy the socket. Default 0. */
  socketClose: number;
  /** Send a well-framed response whose JSON/XML body is cut short. Default 0. */
  truncatedBody: number;
  /** Probability that a new export ends Failed instead of Complete. Default 0. */
  exportFailed: number;
  /** Apply the HTTP faults to the OAuth token endpoint too. Default false. */
  oauth: boolean;
}

/**
 * Behaviour that tests may change while the sandbox runs (`sandbox.settings.x = ...`). Every
 * request reads the current values.
 */
export interface SandboxSettings {
  /** `*_after`/`*_before` as `>=`/`<=` instead of the strict `>`/`<`. Default false. */
  inclusiveFilters: boolean;
  /** Real-time delay added before each API reply, milliseconds. Default 0. */
  latencyMs: number;
  faults: FaultSettings;
  /** API requests allowed in flight; the next one gets code 66. Default 5. */
  maxConcurrency: number;
  /** API calls per account-local day; beyond it code 122. Default 100000. */
  dailyQuota: number;
  /** HTTP status sent with code 66. Default 200 (the fail body is what counts). */
  status66: number;
  /** HTTP status sent with code 122. Default 200. */
  status122: number;
  /** HTTP status sent with code 184. Default 401; some clients have seen 400. */
  status184: number;
  /** Access token lifetime on the sandbox clock, milliseconds. Default 7200000 (2 h). */
  tokenLifetimeMs: number;
  /** v3/v4 version the business unit accepts (4 = AMPSEA account). Default 4. */
  apiVersion: 3 | 4;
  /** Reject unknown query parameters with code 5. Default true. */
  rejectUnknownParams: boolean;
  /** Bulk reply with zero rows: `"result": null` or `"result": {}`. Default 'null'. */
  bulkEmptyResult: 'null' | 'empty';
  /** Export time in processing, ms: fixed, or a function of the row count. Default 60000. */
  exportProcessingMs: number | ((rows: number) => number);
  /** Time an export waits in the queue before processing, ms. Default 5000. */
  exportQueueMs: number;
  /** Rows per export CSV file; more rows make more files. Default 100000. */
  exportRowsPerFile: number;
  /** Export retention on the sandbox clock, ms. Default 604800000 (7 days). */
  exportRetentionMs: number;
  /** Records a v5 nextPageToken chain may return before it is cut (203). Default 100000. */
  v5ChainCap: number;
  /** v5 page-token lifetime on the sandbox clock, ms. Default 14400000 (4 h). */
  v5TokenLifetimeMs: number;
}

export function defaultSettings(): SandboxSettings {
  return {
    inclusiveFilters: false,
    latencyMs: 0,
    faults: {
      http500: 0,
      http502: 0,
      http503: 0,
      http504: 0,
      socketClose: 0,
      truncatedBody: 0,
      exportFailed: 0,
      oauth: false,
    },
    maxConcurrency: 5,
    dailyQuota: 100_000,
    status66: 200,
    status122: 200,
    status184: 401,
    tokenLifetimeMs: 2 * 3_600_000,
    apiVersion: 4,
    rejectUnknownParams: true,
    bulkEmptyResult: 'null',
    exportProcessingMs: 60_000,
    exportQueueMs: 5_000,
    exportRowsPerFile: 100_000,
    exportRetentionMs: 7 * 86_400_000,
    v5ChainCap: 100_000,
    v5TokenLifetimeMs: 4 * 3_600_000,
  };
}
