import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Account } from './Account';
import type { OAuthServer } from './OAuthServer';
import { PardotFault } from './PardotFault';
import { Random } from './Random';
import type { RequestLog } from './RequestLog';
import type { SandboxClock } from './SandboxClock';
import type { SandboxSettings } from './SandboxSettings';
import { v4Fail, type Format, type Rendered } from './V4Envelope';

/** A handled API request's reply, or a stream writer for downloads. */
export type Reply = Rendered & { status?: number; headers?: Record<string, string> };

export interface ApiRequest {
  method: string;
  path: string;
  params: URLSearchParams;
  body: string;
  headers: IncomingMessage['headers'];
  format: Format;
  /** v5 replies errors as `{code, message}`. */
  v5: boolean;
  nowMs: number;
  res: ServerResponse;
  /** Endpoint kind for the request log. */
  kind: string;
  /** Cut the body short (fault injection). */
  truncate?: boolean;
}

/** A route: returns a reply, or null when it wrote the response itself (downloads). */
export type Handler = (req: ApiRequest) => Reply | null | Promise<Reply | null>;

export interface Route {
  method: string | string[];
  pattern: RegExp;
  kind: string;
  /** Version segment's capture group index, for the v3/v4 gate. */
  versionGroup?: number;
  handle: (req: ApiRequest, match: RegExpExecArray) => Reply | null | Promise<Reply | null>;
}

export interface SandboxServerDeps {
  account: Account;
  businessUnitId: string;
  oauth: OAuthServer;
  clock: SandboxClock;
  settings: SandboxSettings;
  log: RequestLog;
  routes: Route[];
  seed: number;
}

const BU_PATTERN = /^0Uv[A-Za-z0-9]{15}$/;

/**
 * The HTTP edge: OAuth, authentication, the business-unit header, the concurrency and daily
 * limits, fault injection, latency and the request log, in front of the routes. Order of
 * checks on an API request: concurrency (66), legacy auth (199), business-unit header (181,
 * 182), token (184), business unit (201), daily quota (122), then the route (version gate
 * 88/89 and its own checks). A request rejected with 66 does not count against the quota.
 */
export class SandboxServer {
  readonly server: Server;
  private inFlight = 0;
  private readonly quotaUsed = new Map<string, number>();
  private readonly faultRandom: Random;

  constructor(private readonly deps: SandboxServerDeps) {
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.keepAliveTimeout = 5000;
    this.faultRandom = new Random(deps.seed, 66);
  }

  /** Calls counted against today's quota (account-local day of the sandbox clock). */
  quotaUsedToday(): number {
    return this.quotaUsed.get(this.today()) ?? 0;
  }

  private today(): string {
    return this.deps.account.time.isoDate(this.deps.clock.now());
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const startMs = Date.now();
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (url.pathname === '/services/oauth2/token') {
      return this.serveOAuth(req, res, url, body, startMs);
    }
    this.inFlight++;
    const inFlightAtStart = this.inFlight;
    this.deps.log.noteInFlight(inFlightAtStart);
    let finished = false;
    const done = (status: number, pardotCode: number | undefined, kind: string) => {
      if (finished) return;
      finished = true;
      this.inFlight--;
      const entry = {
        method,
        path: url.pathname,
        status,
        pardotCode,
        startMs,
        endMs: Date.now(),
        inFlightAtStart,
        kind,
      };
      this.deps.log.add(entry);
    };
    res.on('close', () => done(res.statusCode, undefined, apiReq.kind));
    const params =
      method === 'POST' && isForm(req) ? mergeForm(url.searchParams, body) : url.searchParams;
    const v5 = url.pathname.startsWith('/api/v5/');
    const apiReq: ApiRequest = {
      method,
      path: url.pathname,
      params,
      body,
      headers: req.headers,
      format: params.get('format') === 'json' || v5 ? 'json' : 'xml',
      v5,
      nowMs: this.deps.clock.now(),
      res,
      kind: 'other',
    };
    try {
      await this.handle(apiReq, inFlightAtStart, done);
    } catch (error) {
      const fault =
        error instanceof PardotFault ? error : new PardotFault(183, 'Internal error', 500);
      this.send(apiReq, this.failReply(apiReq, fault), done, apiReq.kind, fault.errCode);
    }
  }

  private async handle(
    req: ApiRequest,
    inFlightAtStart: number,
    done: (status: number, code: number | undefined, kind: string) => void,
  ): Promise<void> {
    const { settings } = this.deps;
    const route = this.route(req);
    const kind = route?.[0].kind ?? 'other';
    req.kind = kind;
    if (inFlightAtStart > settings.maxConcurrency) {
      const fault = new PardotFault(66, 'Concurrent API request limit exceeded', settings.status66);
      return this.send(req, this.failReply(req, fault), done, kind, 66);
    }
    if (settings.latencyMs > 0) await sleep(settings.latencyMs);
    req.nowMs = this.deps.clock.now();
    this.authenticate(req);
    this.countQuota();
    if (this.injectFault(req, done, kind)) return;
    if (!route) throw new PardotFault(2, `Unknown operation: ${req.method} ${req.path}`, 404);
    const [r, match] = route;
    if (r.versionGroup !== undefined) this.checkVersion(Number(match[r.versionGroup]));
    const reply = await r.handle(req, match);
    if (reply) this.send(req, reply, done, kind, undefined);
  }

  private route(req: ApiRequest): [Route, RegExpExecArray] | null {
    for (const route of this.deps.routes) {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const match = route.pattern.exec(req.path);
      if (match && methods.includes(req.method)) return [route, match];
    }
    return null;
  }

  private authenticate(req: ApiRequest): void {
    const auth = req.headers.authorization ?? '';
    if (/^Pardot\b/i.test(auth) || req.params.has('api_key')) {
      throw new PardotFault(
        199,
        'api_key authentication is no longer supported; use Salesforce OAuth',
        401,
      );
    }
    const bu = header(req.headers['pardot-business-unit-id']);
    if (bu === undefined) {
      throw new PardotFault(181, 'Required header is missing: Pardot-Business-Unit-Id', 400);
    }
    if (!BU_PATTERN.test(bu))
      throw new PardotFault(182, 'Invalid value for header: Pardot-Business-Unit-Id', 400);
    const token = /^Bearer (.+)$/.exec(auth)?.[1];
    if (!token || !this.deps.oauth.isValid(token)) {
      throw new PardotFault(
        184,
        'access_token is invalid, unknown, or malformed',
        this.deps.settings.status184,
      );
    }
    if (bu !== this.deps.businessUnitId) {
      throw new PardotFault(201, 'Business Unit not found or inactive', 400);
    }
  }

  private countQuota(): void {
    const day = this.today();
    const used = this.quotaUsed.get(day) ?? 0;
    if (used >= this.deps.settings.dailyQuota) {
      throw new PardotFault(122, 'Daily API rate limit met', this.deps.settings.status122);
    }
    this.quotaUsed.clear();
    this.quotaUsed.set(day, used + 1);
  }

  private checkVersion(version: number): void {
    const accepted = this.deps.settings.apiVersion;
    if (version === accepted) return;
    if (accepted === 4)
      throw new PardotFault(88, 'This account must use version 4 of the API', 400);
    throw new PardotFault(89, 'This account is unable to use version 4 of the API', 400);
  }

  /** Draws this request's fault from the seeded stream; true when a fault was sent. */
  private injectFault(
    req: ApiRequest,
    done: (status: number, code: number | undefined, kind: string) => void,
    kind: string,
  ): boolean {
    const f = this.deps.settings.faults;
    const roll = this.faultRandom.next();
    let edge = 0;
    for (const status of [500, 502, 503, 504] as const) {
      edge += f[`http${status}`];
      if (roll < edge) {
        const html = `<html><body><h1>${status}</h1></body></html>`;
        this.send(req, { contentType: 'text/html', body: html, status }, done, kind, undefined);
        return true;
      }
    }
    edge += f.socketClose;
    if (roll < edge) {
      req.res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      req.res.write('{"@attributes":{"stat":"ok","version":1},"result":{"visitor_activ');
      setImmediate(() => req.res.destroy());
      done(200, undefined, kind);
      return true;
    }
    edge += f.truncatedBody;
    if (roll < edge) req.truncate = true;
    return false;
  }

  private failReply(req: ApiRequest, fault: PardotFault): Reply {
    if (req.v5) {
      const body = JSON.stringify({ code: fault.errCode, message: fault.message });
      return { contentType: 'application/json', body, status: fault.httpStatus };
    }
    return { ...v4Fail(req.format, fault), status: fault.httpStatus };
  }

  private send(
    req: ApiRequest,
    reply: Reply,
    done: (status: number, code: number | undefined, kind: string) => void,
    kind: string,
    pardotCode: number | undefined,
  ): void {
    const status = reply.status ?? 200;
    let body = reply.body;
    if (req.truncate) body = body.slice(0, Math.floor(body.length / 2));
    const buffer = Buffer.from(body, 'utf8');
    req.res.writeHead(status, {
      'content-type': reply.contentType,
      'content-length': String(buffer.length),
      ...reply.headers,
    });
    req.res.end(buffer);
    done(status, pardotCode, kind);
  }

  private serveOAuth(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: string,
    startMs: number,
  ): void {
    const f = this.deps.settings.faults;
    const fails =
      f.oauth && this.faultRandom.next() < f.http500 + f.http502 + f.http503 + f.http504;
    const reply = fails
      ? { status: 503, body: { error: 'unavailable', error_description: 'service unavailable' } }
      : this.deps.oauth.token(new URLSearchParams(body), req.headers.authorization);
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
    const entry = {
      method: req.method ?? 'POST',
      path: url.pathname,
      status: reply.status,
      startMs,
      endMs: Date.now(),
      inFlightAtStart: this.inFlight,
      kind: 'oauth',
    };
    this.deps.log.add(entry);
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function mergeForm(query: URLSearchParams, body: string): URLSearchParams {
  const merged = new URLSearchParams(query);
  for (const [k, v] of new URLSearchParams(body)) merged.append(k, v);
  return merged;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
