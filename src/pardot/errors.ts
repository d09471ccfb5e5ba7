/**
 * The error tree. Every error pardot-pipes raises has a stable `code` that callers match on,
 * and context (object, operation, Pardot's numeric code, attempt). Retriable and fatal are
 * types, not words in messages. Messages are short, say what to do, and never carry a token,
 * secret, password or a URL with credentials.
 */

export interface ErrorContext {
  /** Catalogue object name, e.g. `visitorActivity`. */
  object?: string;
  /** API operation, e.g. `query`, `export.read`, `download`, `oauth.token`. */
  operation?: string;
  /** Pardot's numeric error code from the response body. */
  pardotCode?: number;
  /** HTTP status, when there was a response. */
  status?: number;
  /** 1-based attempt number of the request that failed. */
  attempt?: number;
  cause?: unknown;
}

export class PardotPipesError extends Error {
  /** Stable identifier of the error class. */
  readonly code: string = 'PARDOT_ERROR';
  readonly object?: string;
  readonly operation?: string;
  readonly pardotCode?: number;
  readonly status?: number;
  readonly attempt?: number;

  constructor(message: string, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.object = context.object;
    this.operation = context.operation;
    this.pardotCode = context.pardotCode;
    this.status = context.status;
    this.attempt = context.attempt;
  }
}

/** A failure that may succeed when tried again: 5xx, 66, resets, timeouts, bad bodies. */
export class RetriableError extends PardotPipesError {
  override readonly code: string = 'PARDOT_RETRIABLE';
}

/** A retriable failure whose retries ran out; the last error is the cause. */
export class RetriesExhaustedError extends PardotPipesError {
  override readonly code: string = 'PARDOT_RETRIES_EXHAUSTED';
}

/** A failure that cannot succeed by retrying. */
export class FatalError extends PardotPipesError {
  override readonly code: string = 'PARDOT_FATAL';
}

/** Credentials, token or business-unit problems: the configuration must change. */
export class AuthError extends FatalError {
  override readonly code: string = 'PARDOT_AUTH';
}

/** The request itself is wrong (bad parameter, date, sort): the caller must change it. */
export class BadRequestError extends FatalError {
  override readonly code: string = 'PARDOT_BAD_REQUEST';
}

/** The response could not be understood. Retriable at the HTTP layer, fatal when it persists. */
export class BadResponseError extends RetriableError {
  override readonly code: string = 'PARDOT_BAD_RESPONSE';
}

/**
 * The daily quota is spent (code 122) or the configured budget would be exceeded. Not retried:
 * the run stops cleanly with state saved and exits 75.
 */
export class QuotaError extends PardotPipesError {
  override readonly code: string = 'PARDOT_QUOTA';
  /** When the quota resets: the account's next local midnight, epoch milliseconds. */
  readonly resetsAtMs: number;

  constructor(message: string, resetsAtMs: number, context: ErrorContext = {}) {
    super(message, context);
    this.resetsAtMs = resetsAtMs;
  }
}

/** Bad configuration or usage, found before any data call. Exit code 2. */
export class ConfigError extends PardotPipesError {
  override readonly code: string = 'PARDOT_CONFIG';
}

export function isRetriable(error: unknown): error is RetriableError {
  return error instanceof RetriableError;
}

/** A sink could not write or commit its files (disk full, permissions, a value of the wrong
 * type for its column). Not retried: the run stops with the last committed mark saved. */
export class SinkError extends FatalError {
  override readonly code: string = 'PARDOT_SINK';
}

/**
 * The reader of the output went away (stdout closed: `| head`, a closed pipe). Not a failure:
 * the run stops quietly with marks saved only for what was written.
 */
export class OutputClosedError extends PardotPipesError {
  override readonly code: string = 'PARDOT_OUTPUT_CLOSED';
}

/** The run state file cannot be used as it is; the message says how to recover. */
export class StateError extends ConfigError {
  override readonly code: string = 'PARDOT_STATE';
}

/** The state file is not valid JSON or not the shape this version writes. */
export class StateCorruptError extends StateError {
  override readonly code: string = 'PARDOT_STATE_CORRUPT';
}

/** The state file was written by another, unknown format version. */
export class StateVersionError extends StateError {
  override readonly code: string = 'PARDOT_STATE_VERSION';
}

/** Another live run holds the state file's lock. */
export class StateLockedError extends StateError {
  override readonly code: string = 'PARDOT_STATE_LOCKED';
}

/**
 * A poll did not see the awaited state within its total time bound. Not retried in-process: a
 * re-run resumes polling the same export from the saved state.
 */
export class PollTimeoutError extends PardotPipesError {
  override readonly code: string = 'PARDOT_POLL_TIMEOUT';
  /** The export being polled, when the poll was for an export. */
  readonly exportId?: number;
  /** How long the poll ran before giving up, milliseconds. */
  readonly elapsedMs: number;

  constructor(message: string, elapsedMs: number, exportId?: number, context: ErrorContext = {}) {
    super(message, context);
    this.elapsedMs = elapsedMs;
    this.exportId = exportId;
  }
}

/** An export ended `Failed` more times than the source re-creates it. */
export class ExportFailedError extends FatalError {
  override readonly code: string = 'PARDOT_EXPORT_FAILED';
  readonly exportId: number;

  constructor(message: string, exportId: number, context: ErrorContext = {}) {
    super(message, context);
    this.exportId = exportId;
  }
}

/**
 * A paged reply pointed back at a page already read (a v5 token that repeats, or a pager that
 * stopped moving): following it would loop forever.
 */
export class PagingStalledError extends FatalError {
  override readonly code: string = 'PARDOT_PAGING_STALLED';
}
