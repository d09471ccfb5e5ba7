import { promises as fs, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';

import { StateLockedError } from '../pardot/errors';

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * An exclusive lock beside the state file (`<state>.lock`, created with `wx`, holding the
 * owner's pid, host and start time), so two runs on one state file refuse to interleave.
 * A lock whose process is gone is stale and taken over (with a note); a lock of a live
 * process, this one included, is refused. The lock is released by `release` and, as a last
 * resort, when the process exits. Pids are only checked on this host: a lock written by
 * another host is always refused.
 */
export class StateLock {
  private readonly onExit = () => this.releaseSync();
  private held = false;

  private constructor(readonly path: string) {}

  static async acquire(path: string, note: (message: string) => void): Promise<StateLock> {
    const lock = new StateLock(path);
    const startedAt = new Date().toISOString();
    const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt };
    const text = JSON.stringify(owner) + '\n';

    if (!(await create(path, text))) {
      const holder = await readOwner(path);
      if (holder && (holder.host !== owner.host || alive(holder.pid))) {
        throw new StateLockedError(
          `another run (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}) is ` +
            `using this state; wait for it to finish, or remove ${path} if that run is gone`,
        );
      }
      note(`taking over stale lock ${path}${holder ? ` of pid ${holder.pid}` : ''}`);
      await fs.rm(path, { force: true });
      if (!(await create(path, text))) {
        throw new StateLockedError(`another run took ${path} first; wait for it to finish`);
      }
    }

    lock.held = true;
    process.on('exit', lock.onExit);
    return lock;
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    process.off('exit', this.onExit);
    await fs.rm(this.path, { force: true });
  }

  private releaseSync(): void {
    if (!this.held) return;
    this.held = false;
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

async function create(path: string, text: string): Promise<boolean> {
  try {
    await fs.writeFile(path, text, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The lock's owner, or undefined when the file is unreadable (a crash while writing it). */
async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await fs.readFile(path, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number') return undefined;
    return { pid: owner.pid, host: String(owner.host), startedAt: String(owner.startedAt) };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
