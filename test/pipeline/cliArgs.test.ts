import { describe, expect, it } from 'vitest';

import { parseCliArgs, UsageError } from '../../src/pipeline/cliArgs';

describe('parseCliArgs', () => {
  it('fills the documented defaults', () => {
    const args = parseCliArgs([]);

    expect(args).toEqual({
      out: './lake',
      format: 'parquet',
      state: './lake/_state.json',
      stateGiven: false,
      date: undefined,
      from: undefined,
      to: undefined,
      objects: undefined,
      sandbox: false,
      dryRun: false,
      help: false,
    });
  });

  it('derives the state file from --out and splits --objects', () => {
    const args = parseCliArgs(['--out', '/tmp/l/', '--objects', 'prospect, visitor_activity']);

    expect(args.state).toBe('/tmp/l/_state.json');
    expect(args.objects).toEqual(['prospect', 'visitor_activity']);
  });

  it('refuses a date that does not exist', () => {
    expect(() => parseCliArgs(['--date', '2026-02-30'])).toThrow(
      "--date must be a date YYYY-MM-DD, not '2026-02-30'",
    );
    expect(() => parseCliArgs(['--from', '2026-13-01'])).toThrow(
      "--from must be a date YYYY-MM-DD, not '2026-13-01'",
    );
  });

  it('refuses an unknown object name', () => {
    expect(() => parseCliArgs(['--objects', 'prospect,nope'])).toThrow(
      "--objects: unknown object 'nope'",
    );
  });

  it('refuses an unknown format and an unknown option with a UsageError', () => {
    expect(() => parseCliArgs(['--format', 'csv'])).toThrow(UsageError);
    expect(() => parseCliArgs(['--formt', 'csv'])).toThrow(UsageError);
  });

  it('refuses --from after --to', () => {
    expect(() => parseCliArgs(['--from', '2026-02-02', '--to', '2026-02-01'])).toThrow(
      '--from 2026-02-02 is after --to 2026-02-01',
    );
  });
});
