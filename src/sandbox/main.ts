/**
 * Runs the sandbox as a server: `npx ts-node src/sandbox/main.ts --port 8080 --seed 1`.
 * Prints its URL and the `export PARDOT_...` lines that connect to it on stdout (the
 * credentials are sandbox-only) and serves until SIGINT.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { startSandbox } from './startSandbox';

const USAGE = `Usage: npx ts-node src/sandbox/main.ts [options]

A local, stateful emulator of the Pardot API, for pardot-pipes or any other tool.

Options:
  --port N           TCP port (default 8080)
  --host HOST        address to listen on (default 127.0.0.1)
  --seed N           seed of the generated data (default 1)
  --timezone ZONE    the account's IANA zone (default America/New_York)
  --per-day N        visitor activities generated per weekday (default 3000)
  --days N           days of history (default 400)
  --latency-ms N     added latency per API request (default 0)
  --export-ms N      time an export takes to process (default 60000, as a real one might)
  --key-file PATH    write the JWT-bearer private key there (for PARDOT_PRIVATE_KEY_FILE)
  -h, --help         show this help`;

const OPTIONS = {
  port: { type: 'string', default: '8080' },
  seed: { type: 'string', default: '1' },
  timezone: { type: 'string', default: 'America/New_York' },
  'per-day': { type: 'string', default: '3000' },
  days: { type: 'string', default: '400' },
  host: { type: 'string', default: '127.0.0.1' },
  'latency-ms': { type: 'string', default: '0' },
  'export-ms': { type: 'string', default: '60000' },
  'key-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(): Promise<void> {
  let values;
  try {
    values = parseArgs({ options: OPTIONS }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  const sandbox = await startSandbox({
    port: Number(values.port),
    seed: Number(values.seed),
    timezone: values.timezone,
    visitorActivitiesPerDay: Number(values['per-day']),
    historyDays: Number(values.days),
    host: values.host,
    settings: {
      latencyMs: Number(values['latency-ms']),
      exportProcessingMs: Number(values['export-ms']),
    },
  });
  const c = sandbox.credentials;
  const keyFile = values['key-file'];
  if (keyFile) writeFileSync(keyFile, c.privateKeyPem, { mode: 0o600 });
  // One complete credential set (refresh token); the password flow's variables would be a
  // second set and are left out. Paste these lines into a shell, or eval them.
  const lines = [
    `# Pardot sandbox listening on ${sandbox.url}; Ctrl-C stops it`,
    `export PARDOT_API_URL=${sandbox.url}`,
    `export PARDOT_LOGIN_URL=${sandbox.loginUrl}`,
    `export PARDOT_BUSINESS_UNIT_ID=${sandbox.businessUnitId}`,
    `export PARDOT_CLIENT_ID=${c.clientId}`,
    `export PARDOT_CLIENT_SECRET=${c.clientSecret}`,
    `export PARDOT_REFRESH_TOKEN=${c.refreshToken}`,
    `export PARDOT_TIMEZONE=${sandbox.timezone}`,
    `# username-password flow instead: PARDOT_USERNAME=${c.username} PARDOT_PASSWORD=${c.password}`,
    ...(keyFile ? [`# JWT flow instead: PARDOT_PRIVATE_KEY_FILE=${keyFile}`] : []),
  ];
  // On stdout, so `eval "$(npx ts-node src/sandbox/main.ts ... &)"`-style use and copying work.
  process.stdout.write(`${lines.join('\n')}\n`);
  process.once('SIGINT', () => {
    void sandbox.close().then(() => process.exit(0));
  });
}

void main();
