import { createSign } from 'node:crypto';

export interface JwtAssertionOptions {
  /** Connected app consumer key (`iss`). */
  clientId: string;
  /** Salesforce username (`sub`). */
  username: string;
  /** Login host, e.g. https://login.salesforce.com (`aud`). */
  audience: string;
  /** PEM RSA private key matching the certificate on the connected app. */
  privateKeyPem: string;
  /** Now, epoch milliseconds. */
  nowMs: number;
  /** Lifetime of the assertion, milliseconds. Default 180000 (Salesforce allows at most 5 min). */
  lifetimeMs?: number;
}

/** A signed RS256 JWT for the OAuth JWT-bearer grant. */
export function jwtAssertion(options: JwtAssertionOptions): string {
  const header = { alg: 'RS256', typ: 'JWT' };
  const claims = {
    iss: options.clientId,
    sub: options.username,
    aud: options.audience.replace(/\/+$/, ''),
    exp: Math.floor((options.nowMs + (options.lifetimeMs ?? 180_000)) / 1000),
  };

  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(options.privateKeyPem);
  return `${unsigned}.${signature.toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
