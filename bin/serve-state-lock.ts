/**
 * One `mcpwire serve` per `--state DIR`. Two on one directory each kept their own table of
 * the tasks and sessions there and rewrote the files the other appended to (compaction), and
 * each, restarted, ran the other's tasks again: nothing refused the second. Now the first
 * writes its pid to DIR/serve.pid (created exclusively) and removes it when it exits; a
 * second is refused naming that pid. A file whose process is gone (kill -9) is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args.ts';

/** The lock's name in the state directory. */
export const STATE_LOCK_FILE = 'serve.pid';

/** Hold `dir` for this process until it exits; a UsageError when another live process holds it. */
export function lockStateDir(dir: string): void {
  const path = join(dir, STATE_LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try { writeSync(fd, `${process.pid}\n`); } finally { closeSync(fd); }
      process.once('exit', () => release(path));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`--state ${dir} cannot hold the server's state: ${(error as Error).message}`);
    }
    const holder = holderOf(path);
    if (holder !== undefined && holder !== process.pid && alive(holder)) {
      throw new UsageError(`--state ${dir} is in use by another mcpwire serve (pid ${holder}, in ${path}): two servers on one state directory would rewrite each other's tasks and sessions and run each other's tasks again. Give each its own --state (or share state between servers with --redis); if no such server runs, delete ${path}`);
    }
    // Its process is gone (kill -9, or a pid reused by this very process): taken over.
    try { unlinkSync(path); } catch (error) { if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; }
  }
  throw new UsageError(`--state ${dir}: another mcpwire serve kept taking ${path} as this one started`);
}

/** The pid in the lock file; undefined when it is gone or holds no pid (a write cut short). */
function holderOf(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** Whether process `pid` runs (EPERM: it does, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove the lock if it is still this process's (at exit: synchronous, reported, never thrown). */
function release(path: string): void {
  try {
    if (holderOf(path) === process.pid) unlinkSync(path);
  } catch (error) {
    process.stderr.write(`mcpwire serve: cannot remove ${path}: ${(error as Error).message}\n`);
  }
}
