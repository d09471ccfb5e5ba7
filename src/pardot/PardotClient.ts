import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';

import { Agent, type Dispatcher, request } from 'undici';

import { createLogger, type Logger } from '../log';
import { objectSpec, v5FieldName } from './catalogue';
import {
  AuthError,
  BadResponseError,
  ConfigError,
  FatalError,
  PardotPipesError,
  QuotaError,
  RetriableError,
  RetriesExhaustedError,
} from './errors';
import {
  describe,
  failureFor,
  TokenRejectedError,
  transportError,
  WrongVersionError,
} from './errorForCode';
import { exportJobOf } from './exportJobOf';
import { Governor } from './Governor';
import { readLegacyEnvelope, rowsOf } from './legacyEnvelope';
import { LocalTime } from './LocalTime';
import { RecordTyper, type TimestampForm } from './RecordTyper';
import { retryDelayMs } from './retryDelayMs';
import { safeUrl, Scrubber } from './Scrubber';
import { type PardotCredentials, TokenSource } from './TokenSource';
import { v5Fields } from './v5Fields';
import { warningCodes } from './warningCodes';
import type {
  ExportJob,
  ExportRequest,
  PardotApi,
  PardotRecord,
  QueryPage,
  QueryParams,
  RequestOptions,
  V5Page,
} from './types';

export type { PardotCredentials } from './TokenSource';
export { warningCodes } from './warningCodes';

/** A source of the current time; tests pass a virtual one. */
export interface Clock {
  /** Now, epoch milliseconds. */
  now(): number;
}

export interface RetryOptions {
  /** Tries per call, the first included. Default 6. */
  tries?: number;
  /** Delay before the first retry, milliseconds. Default 1000. */
  baseDelayMs?: number;
  /** Upper bound of one delay, milliseconds. Default 60000. */
  maxDelayMs?: number;
  /** Give up when the next retry would start later than this after the first try, ms. */
  maxElapsedMs?: number;
  /** Random source in [0, 1) for jitter. Default Math.random. */
  random?: () => number;
  /** Waits between tries. Default a real timer; tests pass a virtual one. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface TimeoutOptions {
  /** TCP and TLS connect, milliseconds. Default 30000. */
  connectMs?: number;
  /** Until the response headers arrive, milliseconds. Default 120000: slow queries are normal. */
  headersMs?: number;
  /** Longest silence while reading a body, milliseconds. Default 120000. */
  bodyMs?: number;
}

export interface PardotClientOptions {
  /** API host. Default https://pi.pardot.com (developer orgs, sandboxes: pi.demo.pardot.com). */
  apiUrl?: string;
  /** OAuth host. Default https://login.salesforce.com (sandboxes: test.salesforce.com). */
  loginUrl?: string;
  /** Business unit id, 18 characters starting with `0Uv`. Required. */
  businessUnitId: string;
  credentials: PardotCredentials;
  /**
   * IANA zone of the API user, for naive v3/v4 timestamps. Default: read from the API user's
   * record on `connect()` (the user whose email is the credentials' username, else the first).
   */
  timezone?: string;
  /** The user whose zone is looked up, by email. Default the credentials' username. */
  userEmail?: string;
  /** Requests in flight at once, downloads included. Default 5 (Pardot's limit). */
  maxConcurrency?: number;
  /** A governor to share with other clients of the same account. Default a new one. */
  governor?: Governor;
  /** Calls this client may spend per account-local day; QuotaError before more. Default none. */
  dailyBudget?: number;
  /** API version: 3 or 4 for v3/v4 calls, 5 for v5 exports. Default 4. */
  version?: 3 | 4 | 5;
  /** Reply format asked of v3/v4. Default json. */
  format?: 'json' | 'xml';
  /** Time source for token expiry, budget days and quota reset. Default the system clock. */
  clock?: Clock;
  retry?: RetryOptions;
  timeouts?: TimeoutOptions;
  /** Token reuse when the OAuth reply has no expiry, milliseconds. Default 3300000. */
  tokenTtlMs?: number;
  /** undici dispatcher. Default one keep-alive Agent owned (and closed) by the client. */
  dispatcher?: Dispatcher;
  logger?: Logger;
}

/** Payloads of the client's diagnostics events. */
export interface PardotClientEvents {
  request: [{ operation: string; object?: string; method: string; path: string; attempt: number }];
  response: [{ operation: string; object?: string; status: number; durationMs: number }];
  retry: [{ operation: string; object?: string; attempt: number; delayMs: number; error: Error }];
  refresh: [{ reason: 'initial' | 'expired' | 'rejected' }];
  version: [{ from: 3 | 4; to: 3 | 4 }];
}

interface Call {
  operation: string;
  object?: string;
  method: 'GET' | 'POST';
  /** Absolute URL; v3/v4 calls build it per version so an 88/89 switch can rebuild it. */
  url: (version: 3 | 4) => string;
  body?: string;
  contentType?: string;
  signal?: AbortSignal;
  /** Whether code 88/89 may switch the version (v3/v4 paths only). */
  versioned?: boolean;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const BU_ID = /^0Uv[A-Za-z0-9]{15}$/;
const DAY_MS = 86_400_000;

/**
 * The Pardot API client: auth, hosts, the governor, the daily budget, retries, version
 * switching, and typed records. Implements `PardotApi` for the sources.
 *
 * ```ts
 * const client = await PardotClient.connect({ businessUnitId, credentials });
 * const page = await client.query('visitorActivity', { created_after: '2024-01-01' });
 * await client.close();
 * ```
 */
export class PardotClient extends EventEmitter<PardotClientEvents> implements PardotApi {
  readonly apiUrl: string;
  readonly loginUrl: string;
  readonly businessUnitId: string;
  readonly governor: Governor;
  private legacyVersion: 3 | 4;
  private versionSwitched = false;
  private readonly useV5Exports: boolean;
  private zone: LocalTime | null;
  private readyPromise: Promise<void> | null = null;
  private callCount = 0;
  private budgetDay = '';
  private budgetUsed = 0;
  private readonly tokens: TokenSource;
  private readonly scrubber: Scrubber;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly typers = new Map<string, RecordTyper>();

  constructor(private readonly options: PardotClientOptions) {
    super();
    this.apiUrl = trimSlash(options.apiUrl ?? 'https://pi.pardot.com');
    this.loginUrl = trimSlash(options.loginUrl ?? 'https://login.salesforce.com');
    this.businessUnitId = options.businessUnitId;
    this.governor = options.governor ?? new Governor(options.maxConcurrency ?? 5);
    this.legacyVersion = options.version === 3 ? 3 : 4;
    this.useV5Exports = options.version === 5;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.log = options.logger ?? createLogger('client');
    this.zone = options.timezone ? zoneOrThrow(options.timezone) : null;
    this.scrubber = new Scrubber(secretsOf(options.credentials));
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? newAgent(options.timeouts);
    this.tokens = new TokenSource({
      credentials: options.credentials,
      loginUrl: this.loginUrl,
      endpoint: (form) => this.postTokenForm(form),
      now: () => this.clock.now(),
      tokenTtlMs: options.tokenTtlMs,
      onToken: (token) => this.scrubber.add(token),
      onRefresh: (reason) => this.emit('refresh', { reason }),
    });
  }

  /** Builds a client and runs `connect()`. */
  static async connect(options: PardotClientOptions): Promise<PardotClient> {
    const client = new PardotClient(options);
    try {
      await client.connect();
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  get time(): LocalTime {
    if (!this.zone) {
      throw new ConfigError(
        'the account time zone is not known yet: call connect() first, or set PARDOT_TIMEZONE',
        { operation: 'time' },
      );
    }
    return this.zone;
  }

  get version(): 3 | 4 | 5 {
    return this.useV5Exports ? 5 : this.legacyVersion;
  }

  get calls(): number {
    return this.callCount;
  }

  /** Calls this client made on the current account-local day (what the budget counts). */
  get callsToday(): number {
    return this.budgetUsed;
  }

  /** Requests holding a governor slot now. */
  get inFlight(): number {
    return this.governor.inFlight;
  }

  /** Requests waiting for a governor slot. */
  get queued(): number {
    return this.governor.queued;
  }

  /**
   * Checks the configuration and the account before the first data call: the business unit
   * id, a token, and one cheap call that also reads the API user's time zone when none was
   * given. Errors say what to fix. Runs once; data calls run it when it has not been run.
   */
  connect(): Promise<void> {
    if (!this.readyPromise) {
      this.readyPromise = this.runChecks();
      this.readyPromise.catch(() => {
        this.readyPromise = null;
      });
    }
    return this.readyPromise;
  }

  async query(object: string, params: QueryParams, options?: RequestOptions): Promise<QueryPage> {
    return this.legacyQuery(object, params, 'GET', options);
  }

  async queryPost(
    object: string,
    params: QueryParams,
    options?: RequestOptions,
  ): Promise<QueryPage> {
    return this.legacyQuery(object, params, 'POST', options);
  }

  async queryV5(
    object: string,
    params: Record<string, string | number | undefined>,
    options?: RequestOptions,
  ): Promise<V5Page> {
    const spec = objectSpec(object);
    if (!spec.v5Collection) {
      throw new ConfigError(`${spec.name} is not served by API v5`, { object: spec.name });
    }
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && key !== 'fields') query.set(key, String(value));
    }
    query.set('fields', v5Fields(spec.name, params.fields));

    const url = `${this.apiUrl}/api/v5/objects/${spec.v5Collection}?${query.toString()}`;
    return this.v5Page(spec.name, url, options);
  }

  async nextV5(object: string, nextPageUrl: string, options?: RequestOptions): Promise<V5Page> {
    const spec = objectSpec(object);
    return this.v5Page(spec.name, new URL(nextPageUrl, this.apiUrl + '/').toString(), options);
  }

  async createExport(request: ExportRequest, options?: RequestOptions): Promise<ExportJob> {
    await this.connect();
    const body = JSON.stringify({
      object: request.object,
      ...(request.fields ? { fields: this.exportFields(request) } : {}),
      procedure: { name: request.procedure, arguments: request.arguments },
    });
    const call: Call = {
      operation: 'export.create',
      object: request.object,
      method: 'POST',
      body,
      contentType: 'application/json',
      signal: options?.signal,
      versioned: !this.useV5Exports,
      url: (v) =>
        this.useV5Exports
          ? `${this.apiUrl}/api/v5/exports`
          : `${this.apiUrl}/api/export/version/${v}/do/create?format=json`,
    };
    return this.send(call, (reply) => this.readExportReply(call, reply));
  }

  async readExport(id: number, options?: RequestOptions): Promise<ExportJob> {
    await this.connect();
    const call: Call = {
      operation: 'export.read',
      object: options?.object,
      method: 'GET',
      signal: options?.signal,
      versioned: !this.useV5Exports,
      url: (v) =>
        this.useV5Exports
          ? `${this.apiUrl}/api/v5/exports/${id}`
          : `${this.apiUrl}/api/export/version/${v}/do/read/id/${id}?format=json`,
    };
    return this.send(call, (reply) => this.readExportReply(call, reply));
  }

  async download(url: string, options?: RequestOptions): Promise<Readable> {
    await this.connect();
    const absolute = new URL(url, this.apiUrl + '/');
    this.assertTrustedHost(absolute);
    const call: Call = {
      operation: 'download',
      object: options?.object,
      method: 'GET',
      signal: options?.signal,
      url: () => absolute.toString(),
    };
    return this.withRetries(call, (token, attempt) => this.openStream(call, token, attempt));
  }

  typeRow(object: string, raw: Record<string, unknown>): PardotRecord {
    return this.typer(object, 'naive').type(raw);
  }

  csvTyper(object: string, header: readonly string[]): (cells: readonly string[]) => PardotRecord {
    return this.typer(object, 'naive').cells(header);
  }

  /** Types a v5 row (ISO timestamps, camelCase keys). */
  typeV5Row(object: string, raw: Record<string, unknown>): PardotRecord {
    return this.typer(object, 'iso').type(raw);
  }

  /** Closes the keep-alive connections the client owns. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  // ---- checks -------------------------------------------------------------------------

  private async runChecks(): Promise<void> {
    assertUsable(this.options.credentials);
    if (!BU_ID.test(this.businessUnitId)) {
      throw new ConfigError(
        'PARDOT_BUSINESS_UNIT_ID must be 18 characters starting with 0Uv ' +
          '(Setup > Business Unit Setup)',
        { operation: 'connect' },
      );
    }
    const users = await this.rawQuery('user', {
      output: this.zone ? 'bulk' : 'full',
      limit: this.zone ? 1 : 200,
    });
    if (this.zone) return;

    this.zone = zoneOrThrow(this.zoneFromUsers(users));
  }

  private zoneFromUsers(users: Record<string, unknown>[]): string {
    const email = (this.options.userEmail ?? usernameOf(this.options.credentials))?.toLowerCase();
    const match = users.find((u) => typeof u.email === 'string' && u.email.toLowerCase() === email);
    const zone = (match ?? users[0])?.timezone;
    if (typeof zone === 'string' && zone !== '') return zone;
    throw new ConfigError(
      'could not read the API user time zone from the user records; set PARDOT_TIMEZONE to ' +
        'the IANA zone of the API user (e.g. America/New_York)',
      { operation: 'connect', object: 'user' },
    );
  }

  // ---- v3/v4 queries ------------------------------------------------------------------

  private async legacyQuery(
    object: string,
    params: QueryParams,
    method: 'GET' | 'POST',
    options?: RequestOptions,
  ): Promise<QueryPage> {
    await this.connect();
    const spec = objectSpec(object);
    const { rows, totalResults } = await this.legacyRows(
      spec.name,
      spec.rowKey,
      params,
      method,
      options,
    );

    const typer = this.typer(spec.name, 'naive');
    const typed = new Array<PardotRecord>(rows.length);
    for (let i = 0; i < rows.length; i += 1) typed[i] = typer.type(rows[i]);
    return totalResults === undefined ? { rows: typed } : { rows: typed, totalResults };
  }

  private async rawQuery(object: string, params: QueryParams): Promise<Record<string, unknown>[]> {
    const spec = objectSpec(object);
    return (await this.legacyRows(spec.name, spec.rowKey, params, 'GET')).rows;
  }

  private legacyRows(
    object: string,
    rowKey: string,
    params: QueryParams,
    method: 'GET' | 'POST',
    options?: RequestOptions,
  ): Promise<{ rows: Record<string, unknown>[]; totalResults?: number }> {
    const form = new URLSearchParams();
    form.set('output', 'bulk');
    form.set('format', this.options.format ?? 'json');
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined) form.set(key, String(value));
    }
    const encoded = form.toString();
    const base = (v: 3 | 4) => `${this.apiUrl}/api/${object}/version/${v}/do/query`;
    const call: Call = {
      operation: 'query',
      object,
      method,
      signal: options?.signal,
      versioned: true,
      url: (v) => (method === 'GET' ? `${base(v)}?${encoded}` : base(v)),
      ...(method === 'POST'
        ? { body: encoded, contentType: 'application/x-www-form-urlencoded' }
        : {}),
    };

    return this.send(call, (reply) => {
      const body = this.legacyBody(call, reply);
      const result = body.result;
      const total =
        typeof result === 'object' && result
          ? (result as Record<string, unknown>).total_results
          : undefined;
      const rows = rowsOf(result, rowKey);
      return total === undefined || total === null
        ? { rows }
        : { rows, totalResults: Number(total) };
    });
  }

  /** The success body of a v3/v4 reply, or the typed error of a failed one. */
  private legacyBody(call: Call, reply: Reply): Record<string, unknown> {
    const isXml = String(reply.headers['content-type'] ?? '').includes('xml');
    let envelope;
    try {
      envelope = readLegacyEnvelope(reply.text, isXml);
    } catch (error) {
      const context = this.context(call, reply.status);
      if (reply.status >= 400) throw failureFor(reply.status, undefined, '', context);
      throw new BadResponseError(`${describe(context)}: ${(error as Error).message}`, context);
    }
    if (envelope.ok) {
      if (reply.status >= 400) throw failureFor(reply.status, undefined, '', this.context(call));
      return envelope.body;
    }
    const detail =
      envelope.params.length > 0
        ? `${envelope.message} [${envelope.params.join(', ')}]`
        : envelope.message;
    throw this.failure(call, reply.status, envelope.code, detail);
  }

  // ---- v5 -----------------------------------------------------------------------------

  private async v5Page(object: string, url: string, options?: RequestOptions): Promise<V5Page> {
    await this.connect();
    const call: Call = {
      operation: 'query.v5',
      object,
      method: 'GET',
      signal: options?.signal,
      url: () => url,
    };

    return this.send(call, (reply) => {
      const body = this.v5Body(call, reply);
      const values = Array.isArray(body.values) ? body.values : [];
      const typer = this.typer(object, 'iso');
      return {
        rows: values.map((v) => typer.type(v as Record<string, unknown>)),
        nextPageToken: typeof body.nextPageToken === 'string' ? body.nextPageToken : null,
        nextPageUrl:
          typeof body.nextPageUrl === 'string' && body.nextPageUrl ? body.nextPageUrl : null,
        warnings: warningCodes(reply.headers['pardot-warning']),
      };
    });
  }

  /** A v5 JSON body; `{code, message}` bodies and error statuses become typed errors. */
  private v5Body(call: Call, reply: Reply): Record<string, unknown> {
    let body: unknown;
    try {
      body = JSON.parse(reply.text);
    } catch {
      if (reply.status >= 400) throw failureFor(reply.status, undefined, '', this.context(call));
      throw new BadResponseError(
        `${describe(this.context(call))}: unreadable JSON reply`,
        this.context(call, reply.status),
      );
    }
    const record = (body ?? {}) as Record<string, unknown>;
    if (reply.status < 400 && typeof record === 'object') return record;

    const code = typeof record.code === 'number' ? record.code : undefined;
    throw this.failure(call, reply.status, code, String(record.message ?? ''));
  }

  // ---- exports ------------------------------------------------------------------------

  private readExportReply(call: Call, reply: Reply): ExportJob {
    const body = this.useV5Exports ? this.v5Body(call, reply) : this.legacyBody(call, reply);
    const job = exportJobOf(body);
    if (job) return job;
    const context = this.context(call, reply.status);
    throw new BadResponseError(`${describe(context)}: reply has no export id`, context);
  }

  private exportFields(request: ExportRequest): string[] | undefined {
    if (!request.fields || !this.useV5Exports) return request.fields;
    const spec = objectSpec(request.object);
    return request.fields.map((name) => {
      const field = spec.fields.find((f) => f.name === name);
      return (field && v5FieldName(field)) ?? name;
    });
  }

  private assertTrustedHost(url: URL): void {
    const api = new URL(this.apiUrl);
    const trusted = url.origin === api.origin || /(^|\.)pardot\.com$/.test(url.hostname);
    if (trusted && (url.protocol === 'https:' || url.origin === api.origin)) return;
    throw new FatalError(
      `download: refusing to send credentials to ${url.origin}; export links must point at ` +
        'the Pardot API host',
      { operation: 'download' },
    );
  }

  private async openStream(call: Call, token: string, attempt: number): Promise<Readable> {
    const release = await this.governor.acquire(call.signal);
    let stream: Readable | null = null;
    try {
      const response = await this.dispatch(call, token, attempt);
      const type = String(response.headers['content-type'] ?? '');
      // A file is CSV; a JSON or XML reply, whatever its status, is a Pardot answer (178...).
      if (response.statusCode !== 200 || /json|xml/.test(type)) {
        const text = await response.body.text();
        this.rejectDownload(call, { status: response.statusCode, headers: response.headers, text });
        stream = Readable.from([text]);
      } else {
        stream = response.body;
      }
      stream.once('end', release);
      stream.once('close', release);
      stream.once('error', release);
      return stream;
    } finally {
      if (!stream) release();
    }
  }

  /** Throws the error a non-file download reply carries; returns for a well-formed success. */
  private rejectDownload(call: Call, reply: Reply): void {
    this.legacyBody(call, reply);
    if (reply.status === 200) return;
    throw failureFor(reply.status, undefined, '', this.context(call, reply.status));
  }

  // ---- the request loop ---------------------------------------------------------------

  /** One request with the whole policy: governor, retries, token refresh, version switch. */
  private send<T>(call: Call, read: (reply: Reply) => T): Promise<T> {
    return this.withRetries(call, async (token, attempt) => {
      const release = await this.governor.acquire(call.signal);
      try {
        const response = await this.dispatch(call, token, attempt);
        const text = await response.body.text().catch((error: unknown) => {
          throw transportError(error, this.context(call, response.statusCode, attempt));
        });
        return read({ status: response.statusCode, headers: response.headers, text });
      } finally {
        release();
      }
    });
  }

  private async withRetries<T>(
    call: Call,
    once: (token: string, attempt: number) => Promise<T>,
  ): Promise<T> {
    const started = this.clock.now();
    let refreshed = false;
    for (let attempt = 1; ; attempt += 1) {
      let token = '';
      try {
        token = await this.tokens.token();
        return await once(token, attempt);
      } catch (raw) {
        const error = this.scrubError(withContext(raw, { ...this.context(call), attempt }));
        if (error instanceof TokenRejectedError && !refreshed) {
          refreshed = true;
          await this.tokens.refresh(token).catch((refusal: unknown) => {
            throw this.scrubError(withContext(refusal, { ...this.context(call), attempt }));
          });
          continue;
        }
        if (error instanceof TokenRejectedError) {
          const detail = `${error.message} (still rejected after a new token)`;
          const { pardotCode, status } = error;
          const context = { ...this.context(call), pardotCode, status, attempt, cause: error };
          throw this.scrubError(new AuthError(detail, context));
        }
        if (error instanceof WrongVersionError && call.versioned && !this.versionSwitched) {
          this.switchVersion(error.pardotCode);
          continue;
        }
        if (!(error instanceof RetriableError)) throw error;
        await this.backOff(call, error, attempt, started);
      }
    }
  }

  private async backOff(call: Call, error: RetriableError, attempt: number, started: number) {
    const retry = this.options.retry ?? {};
    const delayMs = retryDelayMs(attempt, {
      baseDelayMs: retry.baseDelayMs,
      maxDelayMs: retry.maxDelayMs,
      random: retry.random,
    });
    const elapsed = this.clock.now() - started + delayMs;
    if (attempt >= (retry.tries ?? 6) || elapsed > (retry.maxElapsedMs ?? 600_000)) {
      throw new RetriesExhaustedError(
        `${describe(this.context(call))}: gave up after ${attempt} tries: ${error.message}; ` +
          'Pardot or the network is failing: run again later',
        {
          ...this.context(call),
          pardotCode: error.pardotCode,
          status: error.status,
          attempt,
          cause: error,
        },
      );
    }
    this.log.debug('retry', { operation: call.operation, attempt, delayMs, code: error.code });
    this.emit('retry', { operation: call.operation, object: call.object, attempt, delayMs, error });
    await (retry.sleep ?? sleep)(delayMs, call.signal);
  }

  private switchVersion(code: number | undefined): void {
    const from = this.legacyVersion;
    // 88 says "must use version 4"; 89 says "unable to use version 4"; 22 means "not here".
    const to: 3 | 4 = code === 88 ? 4 : code === 89 ? 3 : from === 4 ? 3 : 4;
    this.versionSwitched = true;
    this.legacyVersion = to;
    this.log.info('switching API version', { from, to });
    this.emit('version', { from, to });
  }

  private async dispatch(
    call: Call,
    token: string,
    attempt: number,
  ): Promise<Dispatcher.ResponseData> {
    this.spend(call, attempt);
    const url = call.url(this.legacyVersion);
    const path = safeUrl(url);
    const startedAt = this.clock.now();
    this.emit('request', {
      operation: call.operation,
      object: call.object,
      method: call.method,
      path,
      attempt,
    });
    this.log.debug('request', { operation: call.operation, method: call.method, path, attempt });

    const timeouts = this.options.timeouts ?? {};
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: call.method,
        dispatcher: this.dispatcher,
        headers: this.headers(token, call.contentType),
        body: call.body,
        signal: call.signal,
        headersTimeout: timeouts.headersMs ?? 120_000,
        bodyTimeout: timeouts.bodyMs ?? 120_000,
      });
    } catch (error) {
      throw transportError(error, this.context(call, undefined, attempt));
    }
    const durationMs = this.clock.now() - startedAt;
    this.emit('response', {
      operation: call.operation,
      object: call.object,
      status: response.statusCode,
      durationMs,
    });
    return response;
  }

  private headers(token: string, contentType?: string): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      'pardot-business-unit-id': this.businessUnitId,
    };
    if (contentType) headers['content-type'] = contentType;
    return headers;
  }

  /** Counts a call against the daily budget, refusing it when the budget is spent. */
  private spend(call: Call, attempt: number): void {
    const day = this.zone
      ? this.zone.isoDate(this.clock.now())
      : new Date(this.clock.now()).toISOString().slice(0, 10);
    if (day !== this.budgetDay) {
      this.budgetDay = day;
      this.budgetUsed = 0;
    }
    const budget = this.options.dailyBudget;
    if (budget !== undefined && this.budgetUsed >= budget) {
      throw new QuotaError(
        `${describe(this.context(call))}: the daily budget of ${budget} calls ` +
          '(PARDOT_DAILY_BUDGET) is spent; run again after the account midnight',
        this.nextMidnight(),
        { ...this.context(call), attempt },
      );
    }
    this.budgetUsed += 1;
    this.callCount += 1;
  }

  private failure(
    call: Call,
    status: number,
    code: number | undefined,
    message: string,
  ): PardotPipesError {
    if (code === 122) {
      const resetsAtMs = this.nextMidnight();
      return new QuotaError(
        `${describe(this.context(call))}: Pardot error 122: the daily API quota is met; it ` +
          `resets at ${new Date(resetsAtMs).toISOString()} (the account's midnight): ` +
          'run again then',
        resetsAtMs,
        { ...this.context(call, status), pardotCode: 122 },
      );
    }
    return failureFor(status, code, message, this.context(call, status));
  }

  /** The account's next local midnight; UTC midnight while the zone is unknown. */
  private nextMidnight(): number {
    const now = this.clock.now();
    if (!this.zone) return (Math.floor(now / DAY_MS) + 1) * DAY_MS;
    // 26 h past the day's start always lands in the next day, even on 23 h and 25 h days.
    return this.zone.startOfDay(this.zone.startOfDay(now) + 26 * 3_600_000);
  }

  private context(call: Call, status?: number, attempt?: number) {
    return { operation: call.operation, object: call.object, status, attempt };
  }

  private typer(object: string, form: TimestampForm): RecordTyper {
    const key = `${object}:${form}`;
    let typer = this.typers.get(key);
    if (!typer) {
      typer = new RecordTyper(object, form, () => this.time);
      this.typers.set(key, typer);
    }
    return typer;
  }

  /** Scrubs an error in place; the stack too, since it captured the message at creation. */
  private scrubError<E>(error: E): E {
    if (!(error instanceof Error)) return error;
    error.message = this.scrubber.scrub(error.message);
    if (error.stack) error.stack = this.scrubber.scrub(error.stack);
    return error;
  }

  /** Posts to the OAuth endpoint; 5xx replies and network faults are retried, bounded. */
  private async postTokenForm(
    form: Record<string, string>,
  ): Promise<{ status: number; text: string }> {
    const url = `${this.loginUrl}/services/oauth2/token`;
    const call: Call = { operation: 'oauth.token', method: 'POST', url: () => url };
    const retry = this.options.retry ?? {};
    for (let attempt = 1; ; attempt += 1) {
      let failure: Error;
      try {
        const response = await request(url, {
          method: 'POST',
          dispatcher: this.dispatcher,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        });
        const text = await response.body.text();
        const status = response.statusCode;
        if (status < 500) return { status, text };
        failure = new RetriableError(`oauth.token: HTTP ${status}`, this.context(call, status));
      } catch (error) {
        failure = transportError(error, this.context(call, undefined, attempt));
      }
      if (!(failure instanceof RetriableError)) throw failure;
      if (attempt >= (retry.tries ?? 6)) {
        const message = `oauth.token: gave up after ${attempt} tries: ${failure.message}`;
        const context = { ...this.context(call, failure.status, attempt), cause: failure };
        throw this.scrubError(new RetriesExhaustedError(message, context));
      }
      await (retry.sleep ?? sleep)(retryDelayMs(attempt, retry));
    }
  }
}

// ---- helpers ------------------------------------------------------------------------------

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function zoneOrThrow(zone: string): LocalTime {
  try {
    return new LocalTime(zone);
  } catch (error) {
    throw new ConfigError(`PARDOT_TIMEZONE: ${(error as Error).message}`, {
      operation: 'connect',
      cause: error,
    });
  }
}

function newAgent(timeouts: TimeoutOptions = {}): Agent {
  return new Agent({
    keepAliveTimeout: 30_000,
    connect: { timeout: timeouts.connectMs ?? 30_000 },
    headersTimeout: timeouts.headersMs ?? 120_000,
    bodyTimeout: timeouts.bodyMs ?? 120_000,
  });
}

function secretsOf(credentials: PardotCredentials): string[] {
  switch (credentials.kind) {
    case 'accessToken':
      return [credentials.accessToken];
    case 'refreshToken':
      return [credentials.clientSecret, credentials.refreshToken];
    case 'password':
      return [credentials.clientSecret, credentials.password];
    case 'jwt':
      return [credentials.privateKeyPem];
  }
}

/** Every field of the credential set must be filled; empty strings are a config mistake. */
function assertUsable(credentials: PardotCredentials): void {
  const empty = Object.entries(credentials).find(([, v]) => typeof v !== 'string' || v === '');
  if (!empty) return;
  throw new ConfigError(
    `no usable credential set: the ${credentials.kind} credentials lack ${empty[0]}; see ` +
      'PARDOT_CLIENT_ID, PARDOT_CLIENT_SECRET, PARDOT_REFRESH_TOKEN, PARDOT_USERNAME, ' +
      'PARDOT_PASSWORD, PARDOT_PRIVATE_KEY_FILE or PARDOT_ACCESS_TOKEN',
    { operation: 'connect' },
  );
}

function usernameOf(credentials: PardotCredentials): string | undefined {
  return 'username' in credentials ? credentials.username : undefined;
}

function withContext(
  error: unknown,
  context: { operation?: string; object?: string; status?: number; attempt?: number },
): Error {
  if (!(error instanceof PardotPipesError))
    return error instanceof Error ? error : new Error(String(error));
  const target = error as { -readonly [K in keyof PardotPipesError]: PardotPipesError[K] };
  target.operation ??= context.operation;
  target.object ??= context.object;
  target.status ??= context.status;
  target.attempt ??= context.attempt;
  return error;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
