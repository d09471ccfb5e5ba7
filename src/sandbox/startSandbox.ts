import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';

import { CATALOGUE, objectSpec } from '../pardot/catalogue';
import type { PardotRecord, RecordValue } from '../pardot/types';
import { Account } from './Account';
import { OAuthServer, type SandboxCredentials } from './OAuthServer';
import { PardotFault } from './PardotFault';
import { RequestLog } from './RequestLog';
import { SandboxClock } from './SandboxClock';
import { SandboxServer, type Route } from './SandboxServer';
import { defaultSettings, type SandboxSettings } from './SandboxSettings';
import type { StoredRow, StoredValue } from './StoredRow';
import { toRecord, Truth } from './Truth';
import { v4Query } from './V4Query';
import { ExportEngine } from './ExportEngine';
import { exportRoutes } from './exportRoutes';
import { v5Query } from './V5Query';

export interface SandboxOptions {
  /** Seed of every generated value and fault draw. Default 1. */
  seed?: number;
  /** IANA zone of the account and its API user. Default 'America/New_York'. */
  timezone?: string;
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Host to listen on. Default '127.0.0.1'. */
  host?: string;
  /** Start the clock frozen at this instant (epoch ms); omitted = follow the real time. */
  nowMs?: number;
  /** Days of generated history before the clock's start. Default 400. */
  historyDays?: number;
  /** Average generated visitor activities per weekday. Default 3000. */
  visitorActivitiesPerDay?: number;
  /** Row counts of the in-memory objects, by catalogue name (e.g. `{ prospect: 50 }`). */
  counts?: Record<string, number>;
  /** Initial values of the runtime settings. */
  settings?: Partial<SandboxSettings>;
  /** Credentials to accept; generated ones (and an RSA key pair) otherwise. */
  credentials?: Partial<SandboxCredentials>;
}

/** A row to insert: snake_case fields; timestamps as Date or epoch ms. */
export type InsertRow = Record<string, RecordValue | undefined>;

export interface InsertOptions {
  /** The rows become visible only from this sandbox-clock instant (a lagging replica). */
  visibleFromMs?: number;
}

/** A running sandbox. */
export class Sandbox {
  readonly log = new RequestLog();
  readonly truth: Truth;
  readonly oauth: OAuthServer;
  readonly server: SandboxServer;
  /** The Export API engine (exports by id, their state on the clock). */
  readonly exports: ExportEngine;
  url = '';

  constructor(
    readonly account: Account,
    readonly clock: SandboxClock,
    readonly settings: SandboxSettings,
    readonly credentials: SandboxCredentials,
    readonly businessUnitId: string,
    seed: number,
    routes: (sandbox: Sandbox) => Route[],
  ) {
    this.truth = new Truth(account, clock);
    this.exports = new ExportEngine(account, clock, settings, seed);
    this.oauth = new OAuthServer(credentials, clock, settings, () => this.url);
    this.server = new SandboxServer({
      account,
      businessUnitId,
      oauth: this.oauth,
      clock,
      settings,
      log: this.log,
      routes: routes(this),
      seed,
    });
  }

  /** OAuth host: the same server. */
  get loginUrl(): string {
    return this.url;
  }

  /** The account zone, as the API user's `timezone` field says. */
  get timezone(): string {
    return this.account.time.zone;
  }

  /** A valid access token, as the token endpoint would issue. */
  issueToken(): string {
    return this.oauth.issue();
  }

  /** Headers an API call needs, with a fresh token. */
  authHeaders(): Record<string, string> {
    return {
      authorization: `Bearer ${this.issueToken()}`,
      'pardot-business-unit-id': this.businessUnitId,
    };
  }

  /** API calls counted against today's quota. */
  quotaUsedToday(): number {
    return this.server.quotaUsedToday();
  }

  /** Inserts rows with chosen timestamps; returns them as typed records (with their ids). */
  insert(object: string, rows: InsertRow[], options: InsertOptions = {}): PardotRecord[] {
    const table = this.account.table(object);
    const spec = objectSpec(object);
    return rows.map((input) => {
      const createdMs = stamp(input.created_at) ?? wholeSecond(this.clock.now());
      const updatedMs = stamp(input.updated_at) ?? createdMs;
      const id = table.allocateId(createdMs);
      const data: Record<string, StoredValue> = { id };
      for (const field of spec.fields) {
        const value = input[field.name];
        if (field.name === 'id' || value === undefined) continue;
        data[field.name] = field.type === 'ts' ? (stamp(value) ?? null) : value;
      }
      for (const [key, value] of Object.entries(input)) {
        if (!(key in data) && value !== undefined && !spec.fields.some((f) => f.name === key))
          data[key] = value;
      }
      if (spec.fields.some((f) => f.name === 'created_at')) data.created_at = createdMs;
      if (spec.fields.some((f) => f.name === 'updated_at')) data.updated_at = updatedMs;
      const row: StoredRow = {
        id,
        createdMs,
        updatedMs,
        data,
        visibleFromMs: options.visibleFromMs ?? 0,
        deleted: false,
      };
      table.add(row);
      return toRecord(object, row);
    });
  }

  /** Changes fields of a row and bumps its updated_at to the clock's now. */
  update(object: string, id: number, changes: InsertRow = {}): PardotRecord {
    const row = this.existing(object, id);
    const updatedMs = stamp(changes.updated_at) ?? wholeSecond(this.clock.now());
    const data = { ...row.data };
    for (const [key, value] of Object.entries(changes)) {
      if (value !== undefined && key !== 'id') data[key] = value instanceof Date ? +value : value;
    }
    if ('updated_at' in row.data) data.updated_at = updatedMs;
    const next = { ...row, data, updatedMs };
    this.account.table(object).replace(next);
    return toRecord(object, next);
  }

  /** Moves a row to the recycle bin (bumping updated_at). */
  remove(object: string, id: number): void {
    const row = this.existing(object, id);
    const updatedMs = wholeSecond(this.clock.now());
    const data = { ...row.data };
    if ('updated_at' in data) data.updated_at = updatedMs;
    this.account.table(object).replace({ ...row, data, updatedMs, deleted: true });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.server.closeAllConnections();
      this.server.server.close(() => resolve());
    });
  }

  private existing(object: string, id: number): StoredRow {
    const row = this.account.table(object).get(id);
    if (!row) throw new PardotFault(16, `no ${object} with id ${id}`, 404);
    return row;
  }
}

function stamp(value: RecordValue | undefined): number | undefined {
  if (value instanceof Date) return +value;
  if (typeof value === 'number') return value;
  return undefined;
}

function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** The v3/v4 routes; exports and v5 add theirs. */
export function v4Routes(sandbox: Sandbox): Route[] {
  return [
    {
      method: ['GET', 'POST'],
      pattern: /^\/api\/([A-Za-z]+)\/version\/(\d+)\/do\/query$/,
      kind: 'query',
      versionGroup: 2,
      handle: (req, match) => {
        const spec = CATALOGUE.get(match[1]);
        if (!spec) throw new PardotFault(2, `Invalid object: ${match[1]}`, 404);
        return v4Query({
          spec,
          params: req.params,
          format: req.format,
          account: sandbox.account,
          settings: sandbox.settings,
          nowMs: req.nowMs,
        });
      },
    },
  ];
}

function v5Route(sandbox: Sandbox): Route {
  return {
    method: 'GET',
    pattern: /^\/api\/v5\/objects\/([a-z-]+)$/,
    kind: 'v5',
    handle: (req, match) =>
      v5Query({
        collection: match[1],
        params: req.params,
        account: sandbox.account,
        settings: sandbox.settings,
        nowMs: req.nowMs,
        baseUrl: sandbox.url,
      }),
  };
}

/** Starts a sandbox on an ephemeral port (by default) and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? 1;
  const clock = new SandboxClock(options.nowMs);
  const settings: SandboxSettings = { ...defaultSettings(), ...options.settings };
  settings.faults = { ...defaultSettings().faults, ...options.settings?.faults };
  const account = new Account({
    seed,
    timezone: options.timezone ?? 'America/New_York',
    nowMs: clock.now(),
    historyDays: options.historyDays ?? 400,
    visitorActivitiesPerDay: options.visitorActivitiesPerDay ?? 3000,
    counts: options.counts ?? {},
  });
  const credentials = makeCredentials(seed, options.credentials);
  const businessUnitId = `0Uv${`SANDBOX${String(seed).padStart(8, '0')}`.slice(-15)}`;
  const sandbox = new Sandbox(account, clock, settings, credentials, businessUnitId, seed, (s) => [
    ...v4Routes(s),
    ...exportRoutes({ engine: s.exports, account, baseUrl: () => s.url }),
    v5Route(s),
  ]);
  await new Promise<void>((resolve) =>
    sandbox.server.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const address = sandbox.server.server.address() as AddressInfo;
  sandbox.url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  return sandbox;
}

let generatedKeyPem: string | null = null;

/** One generated RSA key per process: key generation costs a few hundred ms. */
function sharedKeyPem(): string {
  generatedKeyPem ??= generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  return generatedKeyPem;
}

function makeCredentials(
  seed: number,
  given: Partial<SandboxCredentials> = {},
): SandboxCredentials {
  const privateKeyPem = given.privateKeyPem ?? sharedKeyPem();
  return {
    clientId: given.clientId ?? `3MVG9sandbox.client.${seed}`,
    clientSecret: given.clientSecret ?? `sandbox-secret-${seed}`,
    username: given.username ?? `api.user.${seed}@sandbox.example.com`,
    password: given.password ?? `sandbox-password-${seed}`,
    refreshToken: given.refreshToken ?? `5Aep861sandbox.refresh.${seed}`,
    privateKeyPem,
  };
}
