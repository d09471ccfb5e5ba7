export interface RetryDelayOptions {
  /** Delay before the first retry, milliseconds. Default 1000. */
  baseDelayMs?: number;
  /** Upper bound of one delay, milliseconds. Default 60000. */
  maxDelayMs?: number;
  /** Random source in [0, 1) for jitter. Default Math.random. */
  random?: () => number;
  /** Delay the server asked for (seconds in Retry-After, as milliseconds), when any. */
  retryAfterMs?: number;
}

/**
 * Milliseconds to wait before retry number `attempt` (1 = the first retry): exponential
 * backoff with "equal jitter" (between half and all of the ceiling), so streams failing
 * together do not retry together, yet no retry comes back almost at once.
 */
export function retryDelayMs(attempt: number, options: RetryDelayOptions = {}): number {
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 60_000;
  const random = options.random ?? Math.random;

  if (attempt < 1) return 0;
  if (base <= 0) return 0;
  if (options.retryAfterMs !== undefined && options.retryAfterMs >= 0) {
    return Math.min(options.retryAfterMs, max);
  }

  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
