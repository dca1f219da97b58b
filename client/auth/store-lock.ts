/**
 * A lock between processes on one issuer's file of the file auth store (store.ts), held while
 * a refresh runs: two hosts on one state directory, or two programs sharing the store, whose
 * tokens expire together would both refresh, and with rotating refresh tokens (OAuth 2.1
 * §4.3.1) the second one's refresh token is already spent: `invalid_grant`, and its user is
 * asked to sign in again. Under the lock the second one finds the first one's new tokens.
 *
 * The lock is `<file>.lock`, made with an exclusive create, holding the pid. One whose process
 * is gone (kill -9), or not touched for `staleMs`, is taken over, by one process at a time (see
 * takeOver); its holder touches it while it works (see keepFresh). A lock that cannot be had (a read-only directory, or held past `waitMs`) is done
 * without: the refresh goes on unlocked.
 */
import { open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { makeDirs } from '../../transport/make-dirs.ts';

/** Default of `lockWaitMs` (store.ts): the longest wait for another process's refresh. */
export const DEFAULT_LOCK_WAIT_MS = 20_000;
/** Default of `lockStaleMs` (store.ts): a lock not touched for this long is a leftover (its holder touches it every third of it). */
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

/** Which file a path named when it was looked at (a lock replaced meanwhile is another). */
interface FileId { dev: number; ino: number }

const same = (a: FileId | undefined, b: FileId | undefined): boolean => a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;

/** Is the lock at `path` a leftover: its process gone, or not touched for `staleMs`? Resolves the file judged so. */
async function stale(path: string, staleMs: number): Promise<FileId | undefined> {
  try {
    const { mtimeMs, dev, ino } = await stat(path);
    if (Date.now() - mtimeMs > staleMs) return { dev, ino };
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && gone(pid) ? { dev, ino } : undefined;
  } catch {
    return undefined; // gone meanwhile (the next create decides), or unreadable: wait
  }
}

/** Make `path` with an exclusive create, holding this pid; resolves which file it is, or the error's code. */
async function create(path: string): Promise<FileId | string> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'EIO';
  }
  try {
    await handle.write(String(process.pid));
    const { dev, ino } = await handle.stat();
    return { dev, ino };
  } catch (error) {
    await unlink(path).catch(() => undefined); // a full disk: no lock, rather than an empty one
    return (error as NodeJS.ErrnoException).code ?? 'EIO';
  } finally {
    await handle.close();
  }
}

/**
 * Remove the stale lock `judged` from `path`, unless another process took it over already.
 * Judging and removing are two steps: two processes that judged one leftover stale could
 * both remove it, the second removing the fresh lock the first made meanwhile, and both would
 * refresh. So the removal holds `<lock>.takeover` (exclusive create) and removes only the very
 * file judged stale. Resolves false when another process is taking over (wait, then look again).
 */
async function takeOver(path: string, judged: FileId, staleMs: number): Promise<boolean> {
  const guard = `${path}.takeover`;
  const held = await create(guard);
  if (typeof held === 'string') {
    // A guard left by a process that died in those few steps: removed like a stale lock.
    const leftover = held === 'EEXIST' ? await stale(guard, staleMs) : undefined;
    if (leftover) await unlinkIf(guard, leftover);
    return false;
  }
  try {
    // Not removed (a directory in its place, a read-only folder): still held, so the wait and
    // its `waitMs` go on; retried at once, it was a loop that never ended.
    return await unlinkIf(path, judged);
  } finally {
    await unlinkIf(guard, held);
  }
}

/**
 * Touch the lock `id` at `path` every third of `staleMs` while it is held, for at most `forMs`
 * (the holder's `lockWaitMs`: as long as any other process waits for it), so that a refresh
 * slower than `staleMs` (discovery, registration and the token request at their time limits)
 * is not taken over while its process lives and works. A holder that hangs past `forMs` is
 * taken over `staleMs` after the last touch; a dead one at once (its pid is gone). Returns the
 * way to stop.
 */
function keepFresh(path: string, id: FileId, staleMs: number, forMs: number): () => void {
  const until = Date.now() + forMs;
  const timer = setInterval(() => {
    if (Date.now() >= until) return clearInterval(timer);
    void stat(path).then((now) => {
      if (same(now, id)) return utimes(path, now.atime, new Date());
    }).catch(() => undefined); // gone or taken over: nothing of ours to keep
  }, Math.max(1, Math.floor(staleMs / 3)));
  timer.unref();
  return () => clearInterval(timer);
}

/** Remove `path` if it still is the file `id` (a lock taken over meanwhile is another's); resolves whether it did. */
async function unlinkIf(path: string, id: FileId): Promise<boolean> {
  const now = await stat(path).catch(() => undefined);
  if (!now || !same(now, id)) return false;
  return unlink(path).then(() => true, () => false);
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
    const made = await create(path);
    // Released only while it is ours: a lock held past `staleMs` may have been taken over.
    if (typeof made !== 'string') {
      const stop = keepFresh(path, made, staleMs, waitMs);
      return async () => {
        stop();
        await unlinkIf(path, made);
      };
    }
    if (made !== 'EEXIST') return async () => {};
    const judged = await stale(path, staleMs);
    if (judged && await takeOver(path, judged, staleMs)) continue;
    if (Date.now() >= until) return async () => {};
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
