import { promises as fs } from 'node:fs';

/**
 * Flushes a file or a directory to disk. A rename is durable only once the directory holding
 * it is synced, so part files and the state file sync both the file and its directory.
 */
export async function fsyncPath(target: string): Promise<void> {
  const handle = await fs.open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
