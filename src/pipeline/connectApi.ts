import { clientConfigFromEnv } from '../pardot/clientConfigFromEnv';
import { PardotClient, type PardotClientOptions } from '../pardot/PardotClient';
import type { Logger } from '../log';
import { startSandbox, type Sandbox } from '../sandbox';

export interface ConnectedApi {
  client: PardotClient;
  /** The embedded sandbox, when the run uses it. */
  sandbox: Sandbox | null;
  /** Closes the client and the sandbox. */
  close(): Promise<void>;
}

export interface ConnectApiOptions {
  env: Record<string, string | undefined>;
  /** Use the embedded sandbox even when credentials are set. */
  forceSandbox: boolean;
  log: Logger;
  /** Client options that win over the environment (tests: retry timings). */
  overrides?: Partial<PardotClientOptions>;
}

/**
 * Builds the client from the environment and connects it, checking credentials, business
 * unit and time zone before any data call. With no credential variable set at all (or
 * `--sandbox`), starts the embedded sandbox and says so; a partial set of credentials is a
 * ConfigError, never a silent fall-back.
 */
export async function connectApi(options: ConnectApiOptions): Promise<ConnectedApi> {
  const config = clientConfigFromEnv(options.env);
  if (config.kind === 'credentials' && !options.forceSandbox) {
    const client = await PardotClient.connect({ ...config.options, ...options.overrides });
    options.log.info(`connected to ${client.apiUrl} as business unit ${client.businessUnitId}`);
    return { client, sandbox: null, close: () => client.close() };
  }

  const why = options.forceSandbox ? '--sandbox given' : 'no Pardot credentials set';
  const sandbox = await startSandbox({
    timezone: config.kind === 'none' ? config.settings.timezone : undefined,
    // A real export takes minutes; the embedded one seconds, so a first run is quick.
    settings: { exportQueueMs: 500, exportProcessingMs: 1500 },
  });
  options.log.info(`${why}: using the embedded sandbox at ${sandbox.url}`);
  const settings = config.kind === 'none' ? config.settings : {};
  const { credentials } = sandbox;
  try {
    const client = await PardotClient.connect({
      ...settings,
      apiUrl: sandbox.url,
      loginUrl: sandbox.loginUrl,
      businessUnitId: sandbox.businessUnitId,
      credentials: {
        kind: 'refreshToken',
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        refreshToken: credentials.refreshToken,
      },
      ...options.overrides,
    });
    const close = async () => {
      await client.close();
      await sandbox.close();
    };
    return { client, sandbox, close };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}
