import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { StateCorruptError, StateLockedError, StateVersionError } from '../../src/pardot/errors';
import { FileStateStore } from '../../src/state/FileStateStore';

const WINDOW = { startMs: Date.UTC(2024, 2, 10), endMs: Date.UTC(2024, 2, 11) };
const open: FileStateStore[] = [];

function statePath(): string {
  return FileStateStore.defaultPath(mkdtempSync(path.join(tmpdir(), 'pp-state-')));
}

async function openStore(file: string): Promise<FileStateStore> {
  const store = await FileStateStore.open({ path: file });
  open.push(store);
  return store;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('FileStateStore', () => {
  it('saves marks, exports, durations and values, and reads them back in a new store', async () => {
    const file = statePath();
    const store = await openStore(file);
    const mark = { atMs: Date.UTC(2024, 2, 10, 5, 0, 1), id: 42 };
    const request = {
      object: 'visitorActivity',
      procedure: 'filter_by_created_at',
      arguments: { created_after: '2024-03-10 00:00:00' },
    };

    await store.recordCommit({
      stream: 'va',
      object: 'visitorActivity',
      window: WINDOW,
      mark,
      windowDone: false,
      rows: 3,
      files: [],
    });
    await store.saveExport('va', {
      id: 77,
      window: WINDOW,
      request,
      createdAtMs: 1_700_000_000_000,
    });
    await store.addExportDuration('visitorActivity', 61_000);
    await store.set('prospect', 'updatedAfter', { at: '2024-03-09T00:00:00.000Z' });
    await store.close();
    const again = await openStore(file);

    expect(again.progress('va', WINDOW)).toEqual({ window: WINDOW, mark, done: false });
    expect(again.exportFor('va', WINDOW)).toEqual({
      id: 77,
      window: WINDOW,
      request,
      createdAtMs: 1_700_000_000_000,
    });
    expect(again.exportDurations('visitorActivity')).toEqual([61_000]);
    expect(again.get('prospect', 'updatedAfter')).toEqual({ at: '2024-03-09T00:00:00.000Z' });
    expect(again.progress('va', { startMs: 0, endMs: 1 })).toBeUndefined();
  });

  it('writes marks and windows as ISO strings under a version field', async () => {
    const file = statePath();
    const store = await openStore(file);

    await store.recordCommit({
      stream: 'va',
      object: 'visitorActivity',
      window: WINDOW,
      mark: { atMs: Date.UTC(2024, 2, 10, 5), id: 9 },
      windowDone: true,
      rows: 1,
      files: [],
    });

    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      streams: {
        va: {
          windows: [
            {
              start: '2024-03-10T00:00:00.000Z',
              end: '2024-03-11T00:00:00.000Z',
              mark: { at: '2024-03-10T05:00:00.000Z', id: 9 },
              done: true,
            },
          ],
          exports: [],
          values: {},
        },
      },
      exportDurations: {},
    });
  });

  it('keeps the previous file whole when writes overlap, and leaves no temp files', async () => {
    const file = statePath();
    const store = await openStore(file);

    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.recordCommit({
          stream: 's',
          object: 'tag',
          window: WINDOW,
          mark: { atMs: null, id: i },
          windowDone: false,
          rows: 1,
          files: [],
        }),
      ),
    );

    expect(JSON.parse(readFileSync(file, 'utf8')).streams.s.windows[0].mark).toEqual({
      at: null,
      id: 19,
    });
    expect(readdirSync(path.dirname(file)).sort()).toEqual(['_state.json', '_state.json.lock']);
  });

  it('refuses a second store on the same file while the first holds the lock', async () => {
    const file = statePath();
    await openStore(file);

    const second = FileStateStore.open({ path: file });

    await expect(second).rejects.toBeInstanceOf(StateLockedError);
    await expect(second).rejects.toThrow(
      /another run \(pid \d+ on .+, started .+\) is using this state/,
    );
  });

  it('takes over a lock whose process is dead, with a note', async () => {
    const file = statePath();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({
        pid: Number(dead.stdout),
        host: hostname(),
        startedAt: '2024-01-01T00:00:00.000Z',
      }),
    );
    const notes: string[] = [];

    const store = await FileStateStore.open({ path: file, onNote: (m) => notes.push(m) });
    open.push(store);

    expect(notes).toEqual([`taking over stale lock ${file}.lock of pid ${dead.stdout}`]);
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8')).pid).toBe(process.pid);
  });

  it('releases the lock on close', async () => {
    const file = statePath();
    const store = await FileStateStore.open({ path: file });

    await store.close();

    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('fails on a corrupt file with a stable code and a way to recover', async () => {
    const file = statePath();
    writeFileSync(file, '{"version": 1, "streams": ');

    const opening = FileStateStore.open({ path: file });

    await expect(opening).rejects.toBeInstanceOf(StateCorruptError);
    await expect(opening).rejects.toMatchObject({ code: 'PARDOT_STATE_CORRUPT' });
    await expect(opening).rejects.toThrow(/not valid JSON; move it aside to start over/);
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('{"version": 1, "streams": ');
  });

  it('fails on a malformed file naming where', async () => {
    const file = statePath();
    writeFileSync(
      file,
      JSON.stringify({ version: 1, streams: { s: { windows: 'x' } }, exportDurations: {} }),
    );

    await expect(FileStateStore.open({ path: file })).rejects.toThrow(
      /state file .* is malformed at 'streams.s.windows'; move it aside/,
    );
  });

  it('fails on an unknown version with its own code', async () => {
    const file = statePath();
    writeFileSync(file, JSON.stringify({ version: 7, streams: {}, exportDurations: {} }));

    const opening = FileStateStore.open({ path: file });

    await expect(opening).rejects.toBeInstanceOf(StateVersionError);
    await expect(opening).rejects.toMatchObject({ code: 'PARDOT_STATE_VERSION' });
    await expect(opening).rejects.toThrow(/has version 7, this pardot-pipes reads version 1/);
  });

  it('refuses free-form keys that look like credentials', async () => {
    const store = await openStore(statePath());

    await expect(store.set('s', 'accessToken', 'abc')).rejects.toThrow(
      "state key 'accessToken' looks like a credential; the state holds none",
    );
  });

  it('releases the lock when the process exits without closing', () => {
    const file = statePath();
    const script =
      "require('ts-node').register({ transpileOnly: true });" +
      "require('./src/state/FileStateStore').FileStateStore.open({ path: process.argv[1] })" +
      '.then(() => process.exit(0));';

    const result = spawnSync(process.execPath, ['-e', script, file], {
      cwd: process.cwd(),
      timeout: 20_000,
    });

    expect(result.status).toBe(0);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
