import { readFileSync } from 'node:fs';

import { z } from 'zod';

import { ConfigError } from './errors';
import type { PardotClientOptions } from './PardotClient';
import type { PardotCredentials } from './TokenSource';

/**
 * Hosts per account type, so users need not pair hosts by hand (the classic mistake is a
 * sandbox token against pi.pardot.com, which answers 201):
 *
 * | PARDOT_ACCOUNT_TYPE | login host                   | API host                   |
 * |---------------------|------------------------------|----------------------------|
 * | production          | https://login.salesforce.com | https://pi.pardot.com      |
 * | developer           | https://login.salesforce.com | https://pi.demo.pardot.com |
 * | sandbox             | https://test.salesforce.com  | https://pi.demo.pardot.com |
 *
 * PARDOT_LOGIN_URL and PARDOT_API_URL, when set, win over the shorthand.
 */
export const ACCOUNT_HOSTS = {
  production: { loginUrl: 'https://login.salesforce.com', apiUrl: 'https://pi.pardot.com' },
  developer: { loginUrl: 'https://login.salesforce.com', apiUrl: 'https://pi.demo.pardot.com' },
  sandbox: { loginUrl: 'https://test.salesforce.com', apiUrl: 'https://pi.demo.pardot.com' },
} as const;

/** Settings that apply with or without credentials (the sandbox honours them too). */
export interface CommonSettings {
  timezone?: string;
  maxConcurrency?: number;
  dailyBudget?: number;
  version?: 3 | 4 | 5;
}

export type EnvClientConfig =
  /** Credentials are set: talk to Pardot. */
  | { kind: 'credentials'; options: PardotClientOptions }
  /** No credential variable at all: the runner uses the embedded sandbox. */
  | { kind: 'none'; settings: CommonSettings };

export interface EnvOptions {
  /** Reads PARDOT_PRIVATE_KEY_FILE. Default fs.readFileSync as UTF-8. */
  readFile?: (path: string) => string;
}

const CREDENTIAL_VARS = [
  'PARDOT_BUSINESS_UNIT_ID',
  'PARDOT_CLIENT_ID',
  'PARDOT_CLIENT_SECRET',
  'PARDOT_REFRESH_TOKEN',
  'PARDOT_USERNAME',
  'PARDOT_PASSWORD',
  'PARDOT_PRIVATE_KEY_FILE',
  'PARDOT_ACCESS_TOKEN',
] as const;

const text = z.string().trim().min(1).optional();
const positiveInt = z.coerce.number().int().positive().optional();

const schema = z.object({
  PARDOT_BUSINESS_UNIT_ID: z
    .string()
    .trim()
    .regex(/^0Uv[A-Za-z0-9]{15}$/, 'must be 18 characters starting with 0Uv')
    .optional(),
  PARDOT_CLIENT_ID: text,
  PARDOT_CLIENT_SECRET: text,
  PARDOT_REFRESH_TOKEN: text,
  PARDOT_USERNAME: text,
  PARDOT_PASSWORD: text,
  PARDOT_PRIVATE_KEY_FILE: text,
  PARDOT_ACCESS_TOKEN: text,
  PARDOT_ACCOUNT_TYPE: z.enum(['production', 'developer', 'sandbox']).optional(),
  PARDOT_LOGIN_URL: z.url({ protocol: /^https?$/ }).optional(),
  PARDOT_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  PARDOT_API_VERSION: z.enum(['3', '4', '5']).optional(),
  PARDOT_TIMEZONE: text,
  PARDOT_MAX_CONCURRENCY: positiveInt,
  PARDOT_DAILY_BUDGET: positiveInt,
});

type Env = z.infer<typeof schema>;

/**
 * Client options from environment variables (README, "Connecting a real account"). Returns
 * `{kind: 'none'}` when no credential variable is set, so the runner can use the sandbox;
 * throws ConfigError naming the variable for anything partial or malformed. Empty values
 * count as unset. Credential sets, first complete one wins:
 * PARDOT_ACCESS_TOKEN; JWT (CLIENT_ID, USERNAME, PRIVATE_KEY_FILE); refresh token
 * (CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN); password (CLIENT_ID, CLIENT_SECRET, USERNAME,
 * PASSWORD).
 */
export function clientConfigFromEnv(
  env: Record<string, string | undefined>,
  options: EnvOptions = {},
): EnvClientConfig {
  const parsed = parseEnv(env);
  const settings = commonSettings(parsed);
  if (!CREDENTIAL_VARS.some((name) => parsed[name] !== undefined)) {
    return { kind: 'none', settings };
  }

  const credentials = credentialsOf(parsed, options.readFile ?? ((p) => readFileSync(p, 'utf8')));
  if (!parsed.PARDOT_BUSINESS_UNIT_ID) {
    throw missing('PARDOT_BUSINESS_UNIT_ID', 'credentials are set but no business unit id');
  }
  const hosts = ACCOUNT_HOSTS[parsed.PARDOT_ACCOUNT_TYPE ?? 'production'];
  return {
    kind: 'credentials',
    options: {
      apiUrl: parsed.PARDOT_API_URL ?? hosts.apiUrl,
      loginUrl: parsed.PARDOT_LOGIN_URL ?? hosts.loginUrl,
      businessUnitId: parsed.PARDOT_BUSINESS_UNIT_ID,
      credentials,
      ...settings,
    },
  };
}

function parseEnv(env: Record<string, string | undefined>): Env {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') cleaned[key] = value;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;

  const issue = result.error.issues[0];
  const name = String(issue.path[0]);
  // The message names the variable, never its value: it may be a secret.
  throw new ConfigError(`${name}: ${issue.message}`, { operation: 'config' });
}

function commonSettings(env: Env): CommonSettings {
  return {
    ...(env.PARDOT_TIMEZONE ? { timezone: env.PARDOT_TIMEZONE } : {}),
    ...(env.PARDOT_MAX_CONCURRENCY ? { maxConcurrency: env.PARDOT_MAX_CONCURRENCY } : {}),
    ...(env.PARDOT_DAILY_BUDGET ? { dailyBudget: env.PARDOT_DAILY_BUDGET } : {}),
    ...(env.PARDOT_API_VERSION ? { version: Number(env.PARDOT_API_VERSION) as 3 | 4 | 5 } : {}),
  };
}

function credentialsOf(env: Env, readFile: (path: string) => string): PardotCredentials {
  if (env.PARDOT_ACCESS_TOKEN) return { kind: 'accessToken', accessToken: env.PARDOT_ACCESS_TOKEN };

  const clientId = env.PARDOT_CLIENT_ID;
  if (env.PARDOT_PRIVATE_KEY_FILE) {
    if (!clientId) throw missing('PARDOT_CLIENT_ID', 'the JWT flow needs the connected app id');
    if (!env.PARDOT_USERNAME) throw missing('PARDOT_USERNAME', 'the JWT flow needs a username');
    const privateKeyPem = readKey(env.PARDOT_PRIVATE_KEY_FILE, readFile);
    return { kind: 'jwt', clientId, username: env.PARDOT_USERNAME, privateKeyPem };
  }

  if (!clientId) {
    throw missing('PARDOT_CLIENT_ID', 'OAuth credentials need the connected app id');
  }
  const clientSecret = env.PARDOT_CLIENT_SECRET;
  if (!clientSecret) {
    throw missing('PARDOT_CLIENT_SECRET', 'PARDOT_CLIENT_ID is set without its secret');
  }
  if (env.PARDOT_REFRESH_TOKEN) {
    return { kind: 'refreshToken', clientId, clientSecret, refreshToken: env.PARDOT_REFRESH_TOKEN };
  }
  if (env.PARDOT_USERNAME && env.PARDOT_PASSWORD) {
    const { PARDOT_USERNAME: username, PARDOT_PASSWORD: password } = env;
    return { kind: 'password', clientId, clientSecret, username, password };
  }
  if (env.PARDOT_USERNAME) throw missing('PARDOT_PASSWORD', 'PARDOT_USERNAME is set without it');
  throw missing(
    'PARDOT_REFRESH_TOKEN',
    'a client id and secret need a grant: PARDOT_REFRESH_TOKEN, PARDOT_USERNAME with ' +
      'PARDOT_PASSWORD, or PARDOT_PRIVATE_KEY_FILE',
  );
}

function readKey(path: string, readFile: (path: string) => string): string {
  let pem: string;
  try {
    pem = readFile(path);
  } catch (error) {
    throw new ConfigError(`PARDOT_PRIVATE_KEY_FILE: cannot read the key file`, {
      operation: 'config',
      cause: error,
    });
  }
  if (!pem.includes('PRIVATE KEY')) {
    throw new ConfigError('PARDOT_PRIVATE_KEY_FILE: the file holds no PEM private key', {
      operation: 'config',
    });
  }
  return pem;
}

function missing(name: string, why: string): ConfigError {
  return new ConfigError(`${name} is required: ${why}`, { operation: 'config' });
}
