/**
 * One host per state directory: `<state>/host.lock` holds the pid of the host that keeps its
 * tokens, call history and plans there, taken with an exclusive create. Two hosts writing
 * the same files lost each other's records (the last whole-file write won) and numbered
 * their calls alike, and a second host took the first one's session and live calls for ones
 * "an earlier run left" and resumed them under it. A host that finds the lock held by a live
 * process runs with its state in memory instead (index.ts says so). A lock whose process is
 * gone (kill -9) is stale and taken over.
 *
 * The lock also names when its process started (Linux: field 22 of /proc/PID/stat, in clock
 * ticks since boot): a killed host's pid may be reused by an unrelated process, which a pid
 * alone takes for the host. A start time that differs means the holder is dead. Where the
 * start time cannot be read (another system, or a lock written by an older version), the pid
 * alone decides.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirs } from 'mcpwire/transport';

/**
 * When process `pid` started, as an opaque string (Linux: /proc/PID/stat field 22), or
 * undefined where that cannot be read (no /proc, the process gone).
 */
export async function processStart(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces and parentheses: count
    // from the last ')'; the text after it starts at field 3, so field 22 is its 20th word.
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return start !== undefined && /^\d+$/.test(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

/** The lock file's name in the state directory. */
export const HOST_LOCK = 'host.lock';

/** What {@link lockHostState} got: the lock (release it when the host ends), or who holds it. */
export type HostStateLock = { readonly held: true; readonly path: string; release(): Promise<void> } | { readonly held: false; readonly path: string; readonly pid: number };

/** Of this process, read once. */
let ownStart: Promise<string | undefined> | undefined;

/** True while a process with `pid` exists (EPERM: it exists, not ours to signal). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who a lock names. */
interface Holder {
  readonly pid: number;
  /** {@link processStart} of the holder when it took the lock; absent in older locks. */
  readonly start?: string;
}

/** The holder, or undefined when the file is gone, half written or not a lock. */
async function holder(path: string): Promise<Holder | undefined> {
  try {
    const { pid, start } = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown; start?: unknown };
    if (!Number.isSafeInteger(pid) || (pid as number) <= 0) return undefined;
    return typeof start === 'string' ? { pid: pid as number, start } : { pid: pid as number };
  } catch {
    return undefined; // unreadable or half written: treated as stale
  }
}

/** True while the lock's holder runs: its pid is alive and, when both are known, started when the lock says. */
async function holderAlive(who: Holder): Promise<boolean> {
  if (!processAlive(who.pid)) return false;
  if (who.start === undefined) return true;
  const now = await processStart(who.pid);
  return now === undefined || now === who.start; // another start: the pid was reused
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
  let seen: Holder | undefined;
  const start = await (ownStart ??= processStart(process.pid));
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const file = await open(path, 'wx', 0o600);
      try {
        await file.write(JSON.stringify(start === undefined ? { pid: process.pid } : { pid: process.pid, start }));
        await file.sync();
      } finally {
        await file.close();
      }
      return {
        held: true, path,
        async release() {
          // Only our own: a lock another host took over (ours was removed by hand) stays.
          if ((await holder(path))?.pid === process.pid) await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    seen = await holder(path);
    if (seen !== undefined && seen.pid !== process.pid && await holderAlive(seen)) return { held: false, path, pid: seen.pid };
    await unlink(path).catch(() => undefined); // stale: its host was killed (or its pid now names another process)
  }
  return { held: false, path, pid: seen?.pid ?? 0 };
}
