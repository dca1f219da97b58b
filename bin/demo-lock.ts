/**
 * One demo per state directory: a lock file (`demo.lock`, the demo's and its server's pids)
 * taken with an exclusive create. A lock whose demo is gone is stale (it was killed): it is
 * taken over once that demo's server has ended too, so two servers never share the state.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './args.ts';

/** How long a stale lock's server is given to end by itself (it watches its stdin) before the demo refuses. */
export const STALE_SERVER_WAIT_MS = 5_000;

interface LockInfo {
  pid: number;
  serverPid?: number;
}

export interface DemoLock {
  /** Record the server's pid (a later demo waits for it if this one is killed). */
  setServer(pid: number | undefined): Promise<void>;
  release(): Promise<void>;
}

function alive(pid: number | undefined): boolean {
  if (pid === undefined || !Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, but not ours to signal
  }
}

async function readLock(path: string): Promise<LockInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(path, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' ? info : undefined;
  } catch {
    return undefined; // half-written or unreadable: treated as stale
  }
}

/** Wait until `pid` is gone, up to `ms`; resolves whether it is gone. */
async function gone(pid: number | undefined, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; alive(pid);) {
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Take the lock of `dir`, or throw a UsageError that says who holds it. */
export async function lockDemo(dir: string, options: { staleServerWaitMs?: number } = {}): Promise<DemoLock> {
  const path = join(dir, 'demo.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const file = await open(path, 'wx', 0o600);
      const info: LockInfo = { pid: process.pid };
      const write = async () => { await file.truncate(0); await file.write(JSON.stringify(info), 0); };
      await write();
      return {
        async setServer(pid) {
          if (pid !== undefined) info.serverPid = pid;
          await write();
        },
        async release() {
          await file.close().catch(() => undefined);
          await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = await readLock(path);
    if (held && alive(held.pid) && held.pid !== process.pid) {
      throw new UsageError(`another demo (pid ${held.pid}) is running on the state in ${dir}; use that one, quit it first, or give this one --state DIR`);
    }
    // Stale: its demo was killed. Its server ends by itself when the demo's pipe closes.
    if (!await gone(held?.serverPid, options.staleServerWaitMs ?? STALE_SERVER_WAIT_MS)) {
      throw new UsageError(`the server of an earlier demo (pid ${held!.serverPid}) still runs on the state in ${dir}; stop it (kill ${held!.serverPid}) and start again`);
    }
    await unlink(path).catch(() => undefined);
  }
  throw new UsageError(`cannot take the demo lock ${path}: another demo keeps taking it`);
}
