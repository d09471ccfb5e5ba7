import {
  AuthError,
  BadRequestError,
  type ErrorContext,
  FatalError,
  PardotPipesError,
  RetriableError,
} from './errors';

/** Code 66: the account has too many requests in flight. Retried after a backoff. */
export class ConcurrencyLimitError extends RetriableError {
  override readonly code: string = 'PARDOT_CONCURRENCY';
}

/** Codes 184 / HTTP 401: the token is invalid or expired. Refreshed once, then fatal. */
export class TokenRejectedError extends AuthError {
  override readonly code: string = 'PARDOT_TOKEN_REJECTED';
}

/** Codes 88/89/22: the other API version must be used. Switched once per run. */
export class WrongVersionError extends FatalError {
  override readonly code: string = 'PARDOT_WRONG_VERSION';
}

const RETRIABLE = new Set([66, 183, 202, 214]);
const VERSION = new Set([22, 88, 89]);

const AUTH_HINTS: Record<number, string> = {
  1: 'legacy api_key authentication is gone since June 2021; use Salesforce OAuth',
  15: 'legacy login failed; use Salesforce OAuth credentials (PARDOT_CLIENT_ID and a grant)',
  46: 'the API user lacks a permission for this object; grant it in Account Engagement',
  49:
    'access denied: the API user lacks the ability for this call, or credentials were sent ' +
    'in a forbidden place; check the user role and the connected app',
  53: 'the API is refusing this IP address; check the account IP allow list',
  76: 'API access is disabled for this account or edition',
  126: 'invalid authentication mechanism; use Salesforce OAuth (Bearer token)',
  131: 'the user is locked after failed logins; unlock it in Salesforce',
  181:
    'the Pardot-Business-Unit-Id header is missing; set PARDOT_BUSINESS_UNIT_ID ' +
    '(Setup > Business Unit Setup)',
  182:
    'the business unit id is malformed; PARDOT_BUSINESS_UNIT_ID must be 18 characters ' +
    'starting with 0Uv',
  184: 'the access token is invalid or expired, or the connected app lacks the pardot_api scope',
  185: 'the business unit id does not belong to this Salesforce org',
  199: 'legacy api_key authentication is gone since June 2021; use Salesforce OAuth',
  201:
    'business unit not found or inactive on this API host; sandboxes and developer orgs use ' +
    'https://pi.demo.pardot.com (set PARDOT_API_URL or PARDOT_ACCOUNT_TYPE)',
};

/** Whether a Pardot code may succeed on a later try (66, internal errors, timeouts). */
export function isRetriableCode(code: number): boolean {
  return RETRIABLE.has(code);
}

/**
 * The typed error for a Pardot error code. Quota (122) and token refresh (184) are decided by
 * the caller before this, since they need the clock and the token cache.
 */
export function errorForCode(
  code: number,
  message: string,
  context: ErrorContext,
): PardotPipesError {
  const ctx = { ...context, pardotCode: code };
  const where = describe(ctx);
  if (RETRIABLE.has(code)) {
    const Retriable = code === 66 ? ConcurrencyLimitError : RetriableError;
    return new Retriable(`${where}: Pardot error ${code} (${message})`, ctx);
  }
  if (code === 184) {
    return new TokenRejectedError(`${where}: Pardot error 184: ${AUTH_HINTS[184]}`, ctx);
  }
  if (AUTH_HINTS[code]) {
    return new AuthError(`${where}: Pardot error ${code}: ${AUTH_HINTS[code]}`, ctx);
  }
  if (VERSION.has(code)) {
    return new WrongVersionError(`${where}: Pardot error ${code} (${message})`, ctx);
  }
  return new BadRequestError(
    `${where}: Pardot error ${code} (${message}); the request must change`,
    ctx,
  );
}

/** `query visitorActivity` style prefix for messages. */
export function describe(context: ErrorContext): string {
  return [context.operation ?? 'request', context.object].filter(Boolean).join(' ');
}

/**
 * The error for a failed reply: Pardot's code decides when there is one (a fail body can come
 * with HTTP 200, 400, 401 or 429); otherwise the HTTP status does.
 */
export function failureFor(
  status: number,
  code: number | undefined,
  message: string,
  context: ErrorContext,
): PardotPipesError {
  if (code !== undefined && Number.isFinite(code)) return errorForCode(code, message, context);

  const ctx = { ...context, status };
  const where = describe(ctx);
  if (status === 401) {
    return new TokenRejectedError(`${where}: HTTP 401: ${AUTH_HINTS[184]}`, ctx);
  }
  if (status >= 500 || status === 429 || status === 408) {
    return new RetriableError(`${where}: HTTP ${status}`, ctx);
  }
  return new BadRequestError(`${where}: HTTP ${status} (${message || 'no message'})`, ctx);
}

const TRANSPORT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ECONNABORTED',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/**
 * Known network faults become retriable errors; aborts and our own errors pass through.
 * Anything else (a bad URL, an unknown host, an invalid argument) cannot succeed by trying
 * again, so it is fatal and says what failed.
 */
export function transportError(error: unknown, context: ErrorContext): Error {
  if (error instanceof PardotPipesError) return error;
  const code = (error as { code?: string }).code ?? '';
  const name = (error as Error).name;
  if (name === 'AbortError' || code === 'UND_ERR_ABORTED') return error as Error;
  const where = describe(context);
  if (TRANSPORT_CODES.has(code)) {
    return new RetriableError(`${where}: network error ${code}`, { ...context, cause: error });
  }
  const reason = code || name;
  const message = `${where}: request failed (${reason}); check the API and login URLs`;
  return new FatalError(message, { ...context, cause: error });
}
