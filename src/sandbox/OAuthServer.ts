import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';

import type { SandboxClock } from './SandboxClock';
import type { SandboxSettings } from './SandboxSettings';

/** What the token endpoint accepts. */
export interface SandboxCredentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  refreshToken: string;
  /** PEM private key whose public half verifies JWT-bearer assertions. */
  privateKeyPem: string;
}

export interface OAuthReply {
  status: number;
  body: Record<string, string>;
}

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * The Salesforce token endpoint and the access tokens it issued. Tokens expire after
 * `settings.tokenLifetimeMs` on the sandbox clock.
 */
export class OAuthServer {
  private readonly tokens = new Map<string, number>();
  private readonly publicKey: KeyObject;

  constructor(
    readonly credentials: SandboxCredentials,
    private readonly clock: SandboxClock,
    private readonly settings: SandboxSettings,
    private readonly instanceUrl: () => string,
  ) {
    this.publicKey = createPublicKey(credentials.privateKeyPem);
  }

  /** A fresh valid access token. */
  issue(): string {
    const token = `00Dsandbox!${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, this.clock.now() + this.settings.tokenLifetimeMs);
    return token;
  }

  isValid(token: string): boolean {
    const expires = this.tokens.get(token);
    return expires !== undefined && this.clock.now() < expires;
  }

  /** Makes every issued token invalid (as a revoked session would). */
  revokeAll(): void {
    this.tokens.clear();
  }

  /** Handles a token request: form fields, plus an HTTP Basic header when sent. */
  token(form: URLSearchParams, authorization: string | undefined): OAuthReply {
    const basic = parseBasic(authorization);
    const clientId = form.get('client_id') ?? basic?.[0];
    const clientSecret = form.get('client_secret') ?? basic?.[1];
    const grant = form.get('grant_type');
    const c = this.credentials;

    if (grant === JWT_GRANT) return this.jwtGrant(form.get('assertion') ?? '');
    if (grant !== 'password' && grant !== 'refresh_token') {
      return fail('unsupported_grant_type', 'grant type not supported');
    }
    if (clientId !== c.clientId) return fail('invalid_client_id', 'client identifier invalid');
    if (clientSecret !== c.clientSecret)
      return fail('invalid_client', 'invalid client credentials');
    if (grant === 'refresh_token') {
      if (form.get('refresh_token') !== c.refreshToken) {
        return fail('invalid_grant', 'expired access/refresh token');
      }
      return this.success(false);
    }
    if (form.get('username') !== c.username || form.get('password') !== c.password) {
      return fail('invalid_grant', 'authentication failure');
    }
    return this.success(false);
  }

  private jwtGrant(assertion: string): OAuthReply {
    const parts = assertion.split('.');
    if (parts.length !== 3) return fail('invalid_grant', 'invalid assertion');
    const [head, payload, signature] = parts;
    let header: { alg?: string };
    let claims: { iss?: string; sub?: string; aud?: string | string[]; exp?: number };
    try {
      header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return fail('invalid_grant', 'invalid assertion');
    }
    if (header.alg !== 'RS256') return fail('invalid_grant', 'invalid assertion algorithm');
    const signed = Buffer.from(`${head}.${payload}`);
    if (!verify('RSA-SHA256', signed, this.publicKey, Buffer.from(signature, 'base64url'))) {
      return fail('invalid_grant', 'invalid assertion signature');
    }
    if (claims.iss !== this.credentials.clientId)
      return fail('invalid_client_id', 'client identifier invalid');
    if (claims.sub !== this.credentials.username)
      return fail('invalid_grant', "user hasn't approved this consumer");
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const accepted = [
      this.instanceUrl(),
      'https://login.salesforce.com',
      'https://test.salesforce.com',
    ];
    if (!audiences.some((a) => a !== undefined && accepted.includes(a.replace(/\/$/, '')))) {
      return fail('invalid_grant', 'audience is invalid');
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.clock.now()) {
      return fail('invalid_grant', 'expired authorization code');
    }
    return this.success(false);
  }

  private success(withRefresh: boolean): OAuthReply {
    const body: Record<string, string> = {
      access_token: this.issue(),
      instance_url: this.instanceUrl(),
      id: `${this.instanceUrl()}/id/00Dsandbox/005sandbox`,
      token_type: 'Bearer',
      issued_at: String(this.clock.now()),
      signature: randomBytes(32).toString('base64'),
      scope: 'pardot_api api',
    };
    if (withRefresh) body.refresh_token = this.credentials.refreshToken;
    return { status: 200, body };
  }
}

function fail(error: string, description: string): OAuthReply {
  const status = error === 'unsupported_grant_type' || error.startsWith('invalid') ? 400 : 401;
  return { status, body: { error, error_description: description } };
}

function parseBasic(header: string | undefined): [string, string] | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0
    ? null
    : [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
}
