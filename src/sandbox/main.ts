/**
 * Runs the sandbox as a server: `npx ts-node src/sandbox/main.ts --port 8080 --seed 1`.
 * Prints its URL, business unit id and credentials on stderr (they are sandbox-only) and
 * serves until SIGINT. Options: --port N, --seed N, --timezone ZONE, --per-day N, --days N,
 * --key-file PATH (writes the JWT-bearer private key there, for PARDOT_PRIVATE_KEY_FILE).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { startSandbox } from './startSandbox';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      seed: { type: 'string', default: '1' },
      timezone: { type: 'string', default: 'America/New_York' },
      'per-day': { type: 'string', default: '3000' },
      days: { type: 'string', default: '400' },
      host: { type: 'string', default: '127.0.0.1' },
      'key-file': { type: 'string' },
    },
  });
  const sandbox = await startSandbox({
    port: Number(values.port),
    seed: Number(values.seed),
    timezone: values.timezone,
    visitorActivitiesPerDay: Number(values['per-day']),
    historyDays: Number(values.days),
    host: values.host,
  });
  const c = sandbox.credentials;
  const keyFile = values['key-file'];
  if (keyFile) writeFileSync(keyFile, c.privateKeyPem, { mode: 0o600 });
  const lines = [
    `Pardot sandbox listening on ${sandbox.url}`,
    `PARDOT_API_URL=${sandbox.url}`,
    `PARDOT_LOGIN_URL=${sandbox.loginUrl}`,
    `PARDOT_BUSINESS_UNIT_ID=${sandbox.businessUnitId}`,
    `PARDOT_CLIENT_ID=${c.clientId}`,
    `PARDOT_CLIENT_SECRET=${c.clientSecret}`,
    `PARDOT_USERNAME=${c.username}`,
    `PARDOT_PASSWORD=${c.password}`,
    `PARDOT_REFRESH_TOKEN=${c.refreshToken}`,
    `PARDOT_TIMEZONE=${sandbox.timezone}`,
    ...(keyFile ? [`PARDOT_PRIVATE_KEY_FILE=${keyFile}`] : []),
    'Press Ctrl-C to stop.',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
  process.once('SIGINT', () => {
    void sandbox.close().then(() => process.exit(0));
  });
}

void main();
