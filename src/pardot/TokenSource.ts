import { AuthError, BadResponseError } from './errors';
import { jwtAssertion } from './jwtAssertion';

/** The credential sets the client accepts; exactly one is used. */
export type PardotCredentials =
  /** A token obtained elsewhere; it cannot be refreshed. */
  | { kind: 'accessToken'; accessToken: string }
  | { kind: 'refreshToken'; clientId: string; clientSecret: string; refreshToken: string }
  | { kind: 'password'; clientId: string; clientSecret: string; username: string; password: string }
  | { kind: 'jwt'; clientId: string; username: string; privateKeyPem: string };

/** Posts a form to the OAuth token endpoint; retries of transport faults happen inside. */
export type TokenEndpoint = (
  form: Record<string, string>,
) => Promise<{ status: number; text: string }>;

export interface TokenSourceOptions {
  credentials: PardotCredentials;
  /** OAuth host, e.g. https://login.salesforce.com (the JWT audience). */
  loginUrl: string;
  endpoint: TokenEndpoint;
  /** Now, epoch milliseconds. */
  now: () => number;
  /**
   * How long a token is reused, milliseconds, when the reply has no `expires_in`. Default
   * 3300000 (55 min): Salesforce tokens live as long as the org's session timeout, at least
   * an hour by default, and a 184 reply refreshes early anyway.
   */
  tokenTtlMs?: number;
  /** Called with every token obtained, so it can be scrubbed from messages. */
  onToken?: (token: string) => void;
  /** Called when a new token is fetched (not for a cached one). */
  onRefresh?: (reason: 'initial' | 'expired' | 'rejected') => void;
}

/**
 * The access-token cache. One token at a time; a refresh is single-flight, so requests that
 * fail together with the same stale token share one OAuth call.
 */
export class TokenSource {
  private current: { token: string; expiresAtMs: number } | null = null;
  private pending: Promise<string> | null = null;
  private readonly ttlMs: number;

  constructor(private readonly options: TokenSourceOptions) {
    this.ttlMs = options.tokenTtlMs ?? 3_300_000;
    if (options.credentials.kind === 'accessToken') {
      options.onToken?.(options.credentials.accessToken);
      this.current = { token: options.credentials.accessToken, expiresAtMs: Infinity };
    }
  }

  /** Whether a rejected token can be replaced. */
  get canRefresh(): boolean {
    return this.options.credentials.kind !== 'accessToken';
  }

  /** A valid token, cached until it expires. */
  token(): Promise<string> {
    if (this.current && this.options.now() < this.current.expiresAtMs) {
      return Promise.resolve(this.current.token);
    }
    return this.fetch(this.current ? 'expired' : 'initial');
  }

  /**
   * A token other than `stale`: the one already replacing it, or a fresh one. Throws AuthError
   * when the credentials cannot produce a new token (a ready access token).
   */
  refresh(stale: string): Promise<string> {
    if (this.pending) return this.pending;
    if (this.current && this.current.token !== stale) return Promise.resolve(this.current.token);
    if (!this.canRefresh) {
      return Promise.reject(
        new AuthError(
          'the access token was rejected and cannot be refreshed; set PARDOT_ACCESS_TOKEN to ' +
            'a new token, or configure refresh-token, password or JWT credentials',
          { operation: 'oauth.token', pardotCode: 184 },
        ),
      );
    }
    return this.fetch('rejected');
  }

  private fetch(reason: 'initial' | 'expired' | 'rejected'): Promise<string> {
    if (this.pending) return this.pending;
    this.pending = this.request(reason).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async request(reason: 'initial' | 'expired' | 'rejected'): Promise<string> {
    this.options.onRefresh?.(reason);
    const started = this.options.now();
    const { status, text } = await this.options.endpoint(this.grantForm());

    const reply = parseReply(text);
    if (status !== 200 || typeof reply.access_token !== 'string') throw oauthError(status, reply);

    const ttl = Number(reply.expires_in) > 0 ? Number(reply.expires_in) * 1000 : this.ttlMs;
    this.options.onToken?.(reply.access_token);
    this.current = { token: reply.access_token, expiresAtMs: started + ttl };
    return reply.access_token;
  }

  private grantForm(): Record<string, string> {
    const c = this.options.credentials;
    switch (c.kind) {
      case 'refreshToken':
        return {
          grant_type: 'refresh_token',
          client_id: c.clientId,
          client_secret: c.clientSecret,
          refresh_token: c.refreshToken,
        };
      case 'password':
        return {
          grant_type: 'password',
          client_id: c.clientId,
          client_secret: c.clientSecret,
          username: c.username,
          password: c.password,
        };
      case 'jwt':
        return {
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: jwtAssertion({
            clientId: c.clientId,
            username: c.username,
            audience: this.options.loginUrl,
            privateKeyPem: c.privateKeyPem,
            nowMs: this.options.now(),
          }),
        };
      default:
        throw new AuthError('a ready access token needs no grant', { operation: 'oauth.token' });
    }
  }
}

interface OAuthReply {
  access_token?: unknown;
  expires_in?: unknown;
  error?: unknown;
  error_description?: unknown;
}

function parseReply(text: string): OAuthReply {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as OAuthReply) : {};
  } catch {
    return {};
  }
}

const OAUTH_HINTS: Record<string, string> = {
  invalid_grant:
    'the login was refused (invalid_grant): check the username/password or refresh token, ' +
    'that the login URL matches the org (test.salesforce.com for sandboxes), and for JWT ' +
    'that the user is pre-authorised for the connected app',
  invalid_client_id: 'the client id is unknown: check PARDOT_CLIENT_ID',
  invalid_client:
    'the client id or secret is wrong: check PARDOT_CLIENT_ID and PARDOT_CLIENT_SECRET',
  unsupported_grant_type: 'the OAuth host does not accept this grant: check PARDOT_LOGIN_URL',
};

function oauthError(status: number, reply: OAuthReply): Error {
  const context = { operation: 'oauth.token', status };
  if (status >= 500 || (status === 200 && reply.error === undefined)) {
    return new BadResponseError(
      `oauth token endpoint gave an unusable reply (HTTP ${status})`,
      context,
    );
  }
  const kind = typeof reply.error === 'string' ? reply.error : 'unknown_error';
  const hint = OAUTH_HINTS[kind] ?? `the OAuth token endpoint refused the login (${kind})`;
  return new AuthError(hint, context);
}
