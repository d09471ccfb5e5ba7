import { z } from 'zod';

import { StateCorruptError, StateVersionError } from '../pardot/errors';

/** The format version this code reads and writes. */
export const STATE_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true });

const markSchema = z.object({ at: isoTime.nullable(), id: z.number().int() }).nullable();

const windowSchema = z.object({
  start: isoTime,
  end: isoTime,
  mark: markSchema,
  done: z.boolean(),
});

const exportSchema = z.object({
  id: z.number().int(),
  start: isoTime,
  end: isoTime,
  request: z.object({
    object: z.string(),
    procedure: z.string(),
    arguments: z.record(z.string(), z.union([z.string(), z.boolean(), z.array(z.number())])),
    fields: z.array(z.string()).optional(),
  }),
  createdAt: isoTime,
});

const streamSchema = z.object({
  windows: z.array(windowSchema),
  exports: z.array(exportSchema),
  values: z.record(z.string(), z.unknown()),
});

const stateSchema = z.object({
  version: z.literal(STATE_VERSION),
  streams: z.record(z.string(), streamSchema),
  exportDurations: z.record(z.string(), z.array(z.number())),
});

/**
 * The state file as stored: timestamps are ISO 8601 strings so a person can read it; marks
 * are `{ at, id }` with `at` null for id cursors.
 */
export type StateFile = z.infer<typeof stateSchema>;
export type StoredStream = z.infer<typeof streamSchema>;
export type StoredWindow = z.infer<typeof windowSchema>;
export type StoredExport = z.infer<typeof exportSchema>;

export function emptyState(): StateFile {
  return { version: STATE_VERSION, streams: {}, exportDurations: {} };
}

const RECOVER =
  'move it aside to start over (the files already in the lake stay valid; windows not ' +
  'recorded as done are read again and their parts replaced)';

/** Reads the state file's text; a bad file is an error that says how to recover. */
export function parseState(text: string, file: string): StateFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new StateCorruptError(`state file ${file} is not valid JSON; ${RECOVER}`);
  }

  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof raw !== 'object' || raw === null || version === undefined) {
    throw new StateCorruptError(`state file ${file} has no version field; ${RECOVER}`);
  }
  if (version !== STATE_VERSION) {
    throw new StateVersionError(
      `state file ${file} has version ${JSON.stringify(version)}, this pardot-pipes reads ` +
        `version ${STATE_VERSION}; use the matching pardot-pipes, or ${RECOVER}`,
    );
  }

  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') ?? '';
    throw new StateCorruptError(`state file ${file} is malformed at '${where}'; ${RECOVER}`);
  }
  return parsed.data;
}
