/**
 * One `mcpwire serve` per `--state DIR`. Two on one directory each kept their own table of
 * the tasks and sessions there and rewrote the files the other appended to (compaction), and
 * each, restarted, ran the other's tasks again: nothing refused the second. Now the first
 * writes its pid to DIR/serve.pid (created exclusively) and removes it when it exits; a
 * second is refused naming that pid. A file whose process is gone (kill -9) is taken over.
 *
 * A pid alone is a weak name: after a reboot, or a container's restart, the pid in a stale
 * file can belong to another live process, which kept the lock "held" for ever. Where Linux's
 * /proc is readable the file also records the kernel's boot id and the process's start time
 * (in clock ticks since boot); a holder whose boot or start time differs is another process,
 * and its file is taken over. Without /proc (other systems), or in a file written by an
 * earlier version (a pid only), the pid alone decides, as before.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from './args.ts';

/** The lock's name in the state directory. */
export const STATE_LOCK_FILE = 'serve.pid';

/** Hold `dir` for this process until it exits; a UsageError when another live process holds it. */
export function lockStateDir(dir: string): void {
  const path = join(dir, STATE_LOCK_FILE);
  const identity = identityOf(process.pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try { writeSync(fd, `${process.pid}\n${identity === undefined ? '' : `${identity}\n`}`); } finally { closeSync(fd); }
      process.once('exit', () => release(path));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`--state ${dir} cannot hold the server's state: ${(error as Error).message}`);
    }
    const holder = holderOf(path);
    if (holder !== undefined && holder.pid !== process.pid && alive(holder)) {
      throw new UsageError(`--state ${dir} is in use by another mcpwire serve (pid ${holder.pid}, in ${path}): two servers on one state directory would rewrite each other's tasks and sessions and run each other's tasks again. Give each its own --state (or share state between servers with --redis); if no such server runs, delete ${path}`);
    }
    // Its process is gone (kill -9, a reboot, or a pid reused by another process or this one): taken over.
    try { unlinkSync(path); } catch (error) { if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; }
  }
  throw new UsageError(`--state ${dir}: another mcpwire serve kept taking ${path} as this one started`);
}

/** Who the lock file names: a pid and, when it was written where /proc is, its boot and start time. */
interface Holder {
  readonly pid: number;
  readonly identity?: string;
}

/** The holder in the lock file; undefined when it is gone or holds no pid (a write cut short). */
function holderOf(path: string): Holder | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // A folder or an unreadable file in its place: said with its path, not as a bare EISDIR.
    const what = code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? (error as Error).message})`;
    throw new UsageError(`--state ${dirname(path)}: ${path} ${what}; it is where mcpwire serve records the pid that uses this directory: remove it, or choose another --state`);
  }
  const [first = '', second = ''] = text.split('\n');
  const pid = Number(first.trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return second.trim() === '' ? { pid } : { pid, identity: second.trim() };
}

/**
 * `boot <boot id> start <ticks>` for a running process, from /proc; undefined where /proc
 * cannot tell (not Linux, /proc not mounted or hidden, the process gone).
 */
function identityOf(pid: number): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // proc(5): the command name (field 2) is in parentheses and may hold ") "; fields after
    // the last ')' start at field 3 (state); the start time is field 22.
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3];
    return boot === '' || start === undefined || !/^\d+$/.test(start) ? undefined : `boot ${boot} start ${start}`;
  } catch (error) {
    // No /proc here, or the process is gone: the pid alone decides (documented above).
    if (['ENOENT', 'EACCES', 'EPERM', 'ENOTDIR', 'ESRCH'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

/**
 * Whether the holder runs (EPERM: it does, as another user). With a recorded identity, and
 * /proc able to tell the running process's, they must match: a pid reused by another process
 * after a reboot or a restart is not the holder.
 */
function alive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (holder.identity === undefined) return true;
  const now = identityOf(holder.pid);
  return now === undefined || now === holder.identity;
}

/** Remove the lock if it is still this process's (at exit: synchronous, reported, never thrown). */
function release(path: string): void {
  try {
    if (holderOf(path)?.pid === process.pid) unlinkSync(path);
  } catch (error) {
    process.stderr.write(`mcpwire serve: cannot remove ${path}: ${(error as Error).message}\n`);
  }
}
