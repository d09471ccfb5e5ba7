import { describe, expect, it } from 'vitest';

import { clientConfigFromEnv } from '../../src/pardot/clientConfigFromEnv';
import { ConfigError } from '../../src/pardot/errors';

const BU = '0Uv000000000001AAA';
const PEM = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n';
const readFile = (path: string) => {
  if (path === '/keys/app.pem') return PEM;
  throw new Error(`ENOENT ${path}`);
};

function errorOf(env: Record<string, string>): ConfigError {
  try {
    clientConfigFromEnv(env, { readFile });
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('clientConfigFromEnv', () => {
  it('returns no credentials when none is set, keeping common settings', () => {
    const config = clientConfigFromEnv({
      PARDOT_MAX_CONCURRENCY: '3',
      PARDOT_TIMEZONE: 'Europe/Paris',
      PARDOT_CLIENT_ID: '',
    });

    expect(config).toEqual({
      kind: 'none',
      settings: { maxConcurrency: 3, timezone: 'Europe/Paris' },
    });
  });

  it('builds each credential set', () => {
    const base = { PARDOT_BUSINESS_UNIT_ID: BU };
    const kinds = [
      { ...base, PARDOT_ACCESS_TOKEN: 'at' },
      {
        ...base,
        PARDOT_CLIENT_ID: 'id',
        PARDOT_USERNAME: 'u@x',
        PARDOT_PRIVATE_KEY_FILE: '/keys/app.pem',
      },
      { ...base, PARDOT_CLIENT_ID: 'id', PARDOT_CLIENT_SECRET: 's', PARDOT_REFRESH_TOKEN: 'r' },
      {
        ...base,
        PARDOT_CLIENT_ID: 'id',
        PARDOT_CLIENT_SECRET: 's',
        PARDOT_USERNAME: 'u',
        PARDOT_PASSWORD: 'p',
      },
    ].map((env) => {
      const config = clientConfigFromEnv(env, { readFile });
      return config.kind === 'credentials' ? config.options.credentials : null;
    });

    expect(kinds).toEqual([
      { kind: 'accessToken', accessToken: 'at' },
      { kind: 'jwt', clientId: 'id', username: 'u@x', privateKeyPem: PEM },
      { kind: 'refreshToken', clientId: 'id', clientSecret: 's', refreshToken: 'r' },
      { kind: 'password', clientId: 'id', clientSecret: 's', username: 'u', password: 'p' },
    ]);
  });

  it('picks hosts from the account type, explicit URLs winning', () => {
    const env = {
      PARDOT_BUSINESS_UNIT_ID: BU,
      PARDOT_ACCESS_TOKEN: 'at',
      PARDOT_ACCOUNT_TYPE: 'sandbox',
    };

    const sandbox = clientConfigFromEnv(env);
    const explicit = clientConfigFromEnv({ ...env, PARDOT_API_URL: 'https://pi.pardot.com' });

    expect(
      sandbox.kind === 'credentials' && [sandbox.options.loginUrl, sandbox.options.apiUrl],
    ).toEqual(['https://test.salesforce.com', 'https://pi.demo.pardot.com']);
    expect(explicit.kind === 'credentials' && explicit.options.apiUrl).toBe(
      'https://pi.pardot.com',
    );
  });

  it('reads version, budget and concurrency as numbers', () => {
    const config = clientConfigFromEnv({
      PARDOT_BUSINESS_UNIT_ID: BU,
      PARDOT_ACCESS_TOKEN: 'at',
      PARDOT_API_VERSION: '3',
      PARDOT_DAILY_BUDGET: '1000',
    });

    expect(
      config.kind === 'credentials' && [config.options.version, config.options.dailyBudget],
    ).toEqual([3, 1000]);
  });

  it('names the variable of a partial or malformed set', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ PARDOT_ACCESS_TOKEN: 'at' }, 'PARDOT_BUSINESS_UNIT_ID is required'],
      [{ PARDOT_BUSINESS_UNIT_ID: BU, PARDOT_CLIENT_ID: 'id' }, 'PARDOT_CLIENT_SECRET is required'],
      [{ PARDOT_BUSINESS_UNIT_ID: BU, PARDOT_REFRESH_TOKEN: 'r' }, 'PARDOT_CLIENT_ID is required'],
      [
        { PARDOT_BUSINESS_UNIT_ID: BU, PARDOT_CLIENT_ID: 'i', PARDOT_CLIENT_SECRET: 's' },
        'PARDOT_REFRESH_TOKEN is required',
      ],
      [
        {
          PARDOT_BUSINESS_UNIT_ID: BU,
          PARDOT_CLIENT_ID: 'i',
          PARDOT_CLIENT_SECRET: 's',
          PARDOT_USERNAME: 'u',
        },
        'PARDOT_PASSWORD is required',
      ],
      [
        {
          PARDOT_BUSINESS_UNIT_ID: BU,
          PARDOT_CLIENT_ID: 'i',
          PARDOT_PRIVATE_KEY_FILE: '/keys/app.pem',
        },
        'PARDOT_USERNAME is required',
      ],
      [
        {
          PARDOT_BUSINESS_UNIT_ID: BU,
          PARDOT_CLIENT_ID: 'i',
          PARDOT_USERNAME: 'u',
          PARDOT_PRIVATE_KEY_FILE: '/nope',
        },
        'PARDOT_PRIVATE_KEY_FILE: cannot read',
      ],
      [
        { PARDOT_BUSINESS_UNIT_ID: '0Uv123', PARDOT_ACCESS_TOKEN: 'at' },
        'PARDOT_BUSINESS_UNIT_ID: must be 18 characters',
      ],
      [{ PARDOT_BUSINESS_UNIT_ID: BU }, 'PARDOT_CLIENT_ID is required'],
      [{ PARDOT_API_VERSION: '6' }, 'PARDOT_API_VERSION:'],
      [{ PARDOT_MAX_CONCURRENCY: 'many' }, 'PARDOT_MAX_CONCURRENCY:'],
    ];

    const messages = cases.map(([env]) => errorOf(env));

    messages.forEach((error, i) => {
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message.startsWith(cases[i][1])).toBe(true);
    });
  });

  it('never puts a value in the message', () => {
    const error = errorOf({
      PARDOT_BUSINESS_UNIT_ID: 'secret-looking-value',
      PARDOT_ACCESS_TOKEN: 'x',
    });

    expect(error.message).not.toContain('secret-looking-value');
  });
});
