import { AuthError, ConfigError, QuotaError } from '../pardot/errors';

/** Exit codes of every pipeline (README, "Command line"). */
export const EXIT = {
  ok: 0,
  failed: 1,
  /** Bad usage or configuration, credentials included: the user must change something. */
  usage: 2,
  /** Stopped early for a retryable reason (daily quota met); state saved. BSD EX_TEMPFAIL. */
  tempfail: 75,
  /** SIGINT or SIGTERM; state saved up to the last commit. 128 + SIGINT, as shells report. */
  interrupted: 130,
} as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof QuotaError) return EXIT.tempfail;
  if (error instanceof ConfigError || error instanceof AuthError) return EXIT.usage;
  return EXIT.failed;
}
