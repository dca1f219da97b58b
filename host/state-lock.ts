/**
 * One host per state directory: `<state>/host.lock` holds the pid of the host that keeps its
 * tokens, call history and plans there, taken with an exclusive create. Two hosts writing
 * the same files lost each other's records (the last whole-file write won) and numbered
 * their calls alike, and a second host took the first one's session and live calls for ones
 * "an earlier run left" and resumed them under it. A host that finds the lock held by a live
 * process runs with its state in memory instead (index.ts says so). A lock whose process is
 * gone (kill -9) is stale and taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirs } from 'mcpwire/transport';

/** The lock file's name in the state directory. */
export const HOST_LOCK = 'host.lock';

/** What {@link lockHostState} got: the lock (release it when the host ends), or who holds it. */
export type HostStateLock = { readonly held: true; readonly path: string; release(): Promise<void> } | { readonly held: false; readonly path: string; readonly pid: number };

/** True while a process with `pid` exists (EPERM: it exists, not ours to signal). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder's pid, or undefined when the file is gone, half written or not a lock. */
async function holder(path: string): Promise<number | undefined> {
  try {
    const pid = (JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown }).pid;
    return Number.isSafeInteger(pid) && (pid as number) > 0 ? pid as number : undefined;
  } catch {
    return undefined; // unreadable or half written: treated as stale
  }
}

/**
 * Take the lock of the state directory `dir` (made 0700 when missing). Resolves `held: false`
 * with the holder's pid when another live process holds it. A file system that refuses the
 * lock (read-only) rejects: the caller decides (the stores report their own failures).
 */
export async function lockHostState(dir: string): Promise<HostStateLock> {
  const path = join(dir, HOST_LOCK);
  await makeDirs(dir, 0o700);
  // Bounded: a stale lock is removed and the create tried again; a lock re-taken each time
  // by others is reported as held by the last one seen.
  let seen: number | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const file = await open(path, 'wx', 0o600);
      try {
        await file.write(JSON.stringify({ pid: process.pid }));
        await file.sync();
      } finally {
        await file.close();
      }
      return {
        held: true, path,
        async release() {
          // Only our own: a lock another host took over (ours was removed by hand) stays.
          if (await holder(path) === process.pid) await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    seen = await holder(path);
    if (seen !== undefined && seen !== process.pid && alive(seen)) return { held: false, path, pid: seen };
    await unlink(path).catch(() => undefined); // stale: its host was killed
  }
  return { held: false, path, pid: seen ?? 0 };
}
