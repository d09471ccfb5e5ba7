import { PardotClient, type PardotClientOptions } from '../../src/pardot/PardotClient';
import type { Sandbox } from '../../src/sandbox';

/**
 * A client of a running sandbox, signed in with the JWT-bearer flow and on the sandbox's
 * clock; `options` override any of it (another flow, a version, retry timings).
 */
export function sandboxClient(
  sb: Sandbox,
  options: Partial<PardotClientOptions> = {},
): PardotClient {
  return new PardotClient({
    apiUrl: sb.url,
    loginUrl: sb.loginUrl,
    businessUnitId: sb.businessUnitId,
    credentials: { kind: 'jwt', ...sb.credentials },
    clock: sb.clock,
    ...options,
  });
}
