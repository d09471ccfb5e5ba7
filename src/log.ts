/**
 * A small leveled logger writing human lines to stderr. Library code logs through it and never
 * calls `console`. It is silent unless switched on: `PARDOT_PIPES_DEBUG=1` (or any non-empty
 * value other than `0`) enables `debug`; `PARDOT_PIPES_LOG_LEVEL=debug|info|warn|error|silent`
 * picks a level explicitly. Callers must not pass secrets: log paths, not URLs with queries.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  /** Lowest level written. Default: from the environment, else `silent`. */
  level?: LogLevel;
  /** Where lines go. Default: process.stderr. */
  write?: (line: string) => void;
}

/** The level the environment asks for (see the module comment). */
export function levelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const explicit = env.PARDOT_PIPES_LOG_LEVEL?.toLowerCase();
  if (explicit && explicit in RANK) return explicit as LogLevel;
  const debug = env.PARDOT_PIPES_DEBUG;
  if (debug && debug !== '0') return 'debug';
  return 'silent';
}

/** A logger whose lines read `pardot-pipes:<scope> <level> <message> key=value ...`. */
export function createLogger(scope: string, options: LoggerOptions = {}): Logger {
  const min = RANK[options.level ?? levelFromEnv()];
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));

  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < min) return;
    const extra = fields
      ? Object.entries(fields)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ')
      : '';
    write(`pardot-pipes:${scope} ${level} ${message}${extra ? ' ' + extra : ''}`);
  };

  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
