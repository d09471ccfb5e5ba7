import { parseArgs } from 'node:util';

import { objectSpec, OBJECT_NAMES } from '../pardot/catalogue';
import { ConfigError } from '../pardot/errors';

/** The command line every pipeline file accepts (README, "Command line"). */
export interface CliArgs {
  /** Lake root directory. Default `./lake`. */
  out: string;
  format: 'parquet' | 'ndjson' | 'stdout';
  /** Run state file. Default `<out>/_state.json`. */
  state: string;
  /** Whether `--state` was given (stdout runs keep no state file unless it was). */
  stateGiven: boolean;
  /** Account-local day to pull (daily), `YYYY-MM-DD`; undefined means yesterday. */
  date?: string;
  /** First account-local day of a backfill, inclusive. */
  from?: string;
  /** Last account-local day of a backfill, inclusive; undefined means yesterday. */
  to?: string;
  /** Objects to run, by catalogue or table name; undefined means every stream. */
  objects?: string[];
  /** Force the embedded sandbox even when credentials are set. */
  sandbox: boolean;
  /** Print the plan and its cost in API calls; make no data call. */
  dryRun: boolean;
  help: boolean;
}

/** Thrown for a bad command line; the runner prints it with the usage and exits 2. */
export class UsageError extends ConfigError {
  override readonly code: string = 'PARDOT_USAGE';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FORMATS = ['parquet', 'ndjson', 'stdout'] as const;

export const USAGE_OPTIONS = `Options:
  --out DIR              lake directory (default ./lake)
  --format FORMAT        parquet, ndjson or stdout (default parquet)
  --state FILE           run state file (default <out>/_state.json; none for stdout)
  --date YYYY-MM-DD      account-local day to pull (daily; default yesterday)
  --from YYYY-MM-DD      first day of a backfill, inclusive
  --to YYYY-MM-DD        last day of a backfill, inclusive (default yesterday)
  --objects a,b,c        only these objects (e.g. visitorActivity,prospect)
  --sandbox              run against the embedded sandbox even when credentials are set
  --dry-run              print the windows, exports and API calls the run would cost
  -h, --help             show this help`;

/** Parses and validates argv (without the node and script entries). */
export function parseCliArgs(argv: string[]): CliArgs {
  const { values } = parseStrict(argv);

  const out = values.out ?? './lake';
  const format = values.format ?? 'parquet';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  }
  for (const name of ['date', 'from', 'to'] as const) {
    const value = values[name];
    if (value !== undefined) checkDate(name, value);
  }
  if (values.from && values.to && values.from > values.to) {
    throw new UsageError(`--from ${values.from} is after --to ${values.to}`);
  }

  return {
    out,
    format: format as CliArgs['format'],
    state: values.state ?? `${out.replace(/\/+$/, '')}/_state.json`,
    stateGiven: values.state !== undefined,
    date: values.date,
    from: values.from,
    to: values.to,
    objects: parseObjects(values.objects),
    sandbox: values.sandbox ?? false,
    dryRun: values['dry-run'] ?? false,
    help: values.help ?? false,
  };
}

function parseStrict(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: 'string' },
        format: { type: 'string' },
        state: { type: 'string' },
        date: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        objects: { type: 'string' },
        sandbox: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function checkDate(name: string, value: string): void {
  const parsedMs = Date.parse(`${value}T00:00:00Z`);
  const valid =
    DATE.test(value) &&
    !Number.isNaN(parsedMs) &&
    new Date(parsedMs).toISOString().slice(0, 10) === value;
  if (!valid) throw new UsageError(`--${name} must be a date YYYY-MM-DD, not '${value}'`);
}

function parseObjects(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length === 0) throw new UsageError('--objects needs at least one object name');
  for (const name of names) {
    if (!isObjectName(name)) {
      throw new UsageError(
        `--objects: unknown object '${name}'; known: ${OBJECT_NAMES.join(', ')}`,
      );
    }
  }
  return names;
}

function isObjectName(name: string): boolean {
  try {
    objectSpec(name);
    return true;
  } catch {
    return false;
  }
}
