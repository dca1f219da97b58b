/**
 * A lock between processes on one issuer's file of the file auth store (store.ts), held while
 * a refresh runs: two hosts on one state directory, or two programs sharing the store, whose
 * tokens expire together would both refresh, and with rotating refresh tokens (OAuth 2.1
 * §4.3.1) the second one's refresh token is already spent: `invalid_grant`, and its user is
 * asked to sign in again. Under the lock the second one finds the first one's new tokens.
 *
 * The lock is `<file>.lock`, made with an exclusive create, holding the pid. One whose process
 * is gone (kill -9), or older than `staleMs`, is taken over. A lock that cannot be had (a
 * read-only directory, or held past `waitMs`) is done without: the refresh goes on unlocked.
 */
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { makeDirs } from '../../transport/make-dirs.ts';

/** Default of `lockWaitMs` (store.ts): the longest wait for another process's refresh. */
export const DEFAULT_LOCK_WAIT_MS = 20_000;
/** Default of `lockStaleMs` (store.ts): a lock older than this is a leftover (a token request times out after 10 s). */
export const DEFAULT_LOCK_STALE_MS = 30_000;
/** Between two tries at a held lock, ms. Another process's lock can only be polled. */
const POLL_MS = 25;

/** Release a lock taken by {@link lockFile}. */
export type Unlock = () => Promise<void>;

/** True when process `pid` is gone (EPERM: it exists, under another user). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Is the lock at `path` a leftover: its process gone, or older than `staleMs`? */
async function stale(path: string, staleMs: number): Promise<boolean> {
  try {
    const { mtimeMs } = await stat(path);
    if (Date.now() - mtimeMs > staleMs) return true;
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && gone(pid);
  } catch {
    return false; // gone meanwhile (the next create decides), or unreadable: wait
  }
}

/** Take the lock of `file` (see the module comment); resolves with its release, a no-op when done without. */
export async function lockFile(dir: string, file: string, waitMs: number, staleMs: number): Promise<Unlock> {
  const path = `${file}.lock`;
  const until = Date.now() + waitMs;
  try {
    await makeDirs(dir, 0o700);
  } catch {
    return async () => {};
  }
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.write(String(process.pid));
      } finally {
        await handle.close();
      }
      return () => unlink(path).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return async () => {};
    }
    if (await stale(path, staleMs)) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() >= until) return async () => {};
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
