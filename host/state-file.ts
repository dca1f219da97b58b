/**
 * Whole-file writes of the host's state files (`history.json`, `plans.json`): the text goes
 * to `<file>.<pid>.tmp`, is fsynced, renamed over the file, and the directory is fsynced, so a
 * kill -9 or a power loss at any point leaves the old file or the new one, never an empty or
 * half-written one (a rename can reach the disk before the data it names). The resumption
 * tokens are written the same way (client/resume-store.ts).
 *
 * A host killed between the write and the rename leaves its temporary file; nothing else
 * would remove it. {@link removeStaleTemps} does, at the next start, for writers that are gone.
 */
import { open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { makeDirs } from 'mcpwire/transport';
import { processAlive } from './state-lock.ts';

/** Errors of platforms that cannot open or fsync a directory (Windows): the rename is still atomic. */
const NO_DIR_SYNC = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EBADF', 'EACCES']);

/** A failed write whose temporary file could not be removed either (it names the file). */
export class TempLeftError extends Error {
  override readonly name = 'TempLeftError';
}

/** The temporary file this process writes `file` through. */
export function tempOf(file: string): string {
  return `${file}.${process.pid}.tmp`;
}

/**
 * Replace `file` with `text` durably (made 0600, its directory 0700 when missing). On failure
 * the temporary file is removed; a {@link TempLeftError} says so when it could not be.
 */
export async function writeStateFile(file: string, text: string): Promise<void> {
  const tmp = tempOf(file);
  try {
    await makeDirs(dirname(file), 0o700);
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    const left = await rm(tmp, { force: true }).then(() => '', (e: Error) => `; ${tmp} is left: ${e.message}`);
    throw left === '' ? error : new TempLeftError(`${(error as Error).message}${left}`, { cause: error });
  }
  await syncDir(dirname(file));
}

async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!NO_DIR_SYNC.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Remove the `<file>.<pid>.tmp` files of writers that are gone (a host killed mid-write); a
 * live one's (a host still writing) stays. Resolves the names removed; one that cannot be
 * removed is told through `report` and stays.
 */
export async function removeStaleTemps(file: string, report: (error: Error) => void): Promise<string[]> {
  const dir = dirname(file);
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') report(new Error(`cannot look for stale temporary files in ${dir}: ${(error as Error).message}`, { cause: error }));
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = name.slice(prefix.length, -'.tmp'.length);
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid || processAlive(Number(pid))) continue;
    try {
      await unlink(join(dir, name));
      removed.push(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') report(new Error(`cannot remove ${join(dir, name)}, left by a host that was killed: ${(error as Error).message}`, { cause: error }));
    }
  }
  return removed;
}
