// DIR/serve.pid named its holder by pid only: after a reboot or a container's restart a stale
// file whose pid now belongs to another live process kept the directory "in use" and refused
// every start (faults21's leftover, session 30). Now the file also records the boot id and
// the holder's start time where /proc is readable, and a live pid whose start differs is
// another process: the file is taken over. A pid-only file (an earlier version, or no /proc)
// still decides by pid. In-process: lockStateDir on a temporary directory.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockStateDir, STATE_LOCK_FILE } from './serve-state-lock.ts';

const test = suite('mcpwire serve --state: the lock names its holder by pid, boot and start time');

const proc = existsSync('/proc/self/stat') && existsSync('/proc/sys/kernel/random/boot_id');
const boot = proc ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : '';
/** Field 22 of /proc/PID/stat, counted after the command name's closing parenthesis. */
const startOf = (pid: number): string => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
};
// A live process that is not this one: the test's parent (the runner or the shell).
const other = process.ppid;

/** Run lockStateDir on a fresh directory holding `lock`; its error message, or 'taken'. */
function lockWith(lock: string): { outcome: string; written: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-lock-'));
  try {
    writeFileSync(join(dir, STATE_LOCK_FILE), lock);
    let outcome = 'taken';
    try { lockStateDir(dir); } catch (error) { outcome = (error as Error).message; }
    return { outcome, written: readFileSync(join(dir, STATE_LOCK_FILE), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a live pid whose start time differs from the one recorded is another process: the lock is taken over', () => {
  if (!proc) { console.log('  (skipped: no /proc here; the pid alone decides)'); return; }
  const { outcome, written } = lockWith(`${other}\nboot ${boot} start ${Number(startOf(other)) + 1}\n`);
  assert.is(outcome, 'taken');
  assert.is(written, `${process.pid}\nboot ${boot} start ${startOf(process.pid)}\n`, 'the new holder records its own boot and start');
});

test('a live pid recorded under another boot (the machine rebooted since) is not the holder', () => {
  if (!proc) return;
  assert.is(lockWith(`${other}\nboot 00000000-0000-0000-0000-000000000000 start ${startOf(other)}\n`).outcome, 'taken');
});

test('the holder itself, same pid, boot and start, still refuses the start', () => {
  if (!proc) return;
  const { outcome } = lockWith(`${other}\nboot ${boot} start ${startOf(other)}\n`);
  assert.match(outcome, `is in use by another mcpwire serve (pid ${other}, in `);
});

test('a pid-only file (an earlier version, or written without /proc) decides by pid: a live pid refuses, a gone one is taken', () => {
  assert.match(lockWith(`${other}\n`).outcome, `(pid ${other}, in `);
  assert.is(lockWith('2147483646\n').outcome, 'taken');
});

// faults26: a folder in the lock file's place failed the start with a bare "EISDIR: illegal
// operation on a directory, read" (exit 1), naming no file.
test('a folder where the lock file goes: a usage error naming it and what to do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-lock-'));
  try {
    mkdirSync(join(dir, STATE_LOCK_FILE));
    let outcome = 'taken';
    try { lockStateDir(dir); } catch (error) { outcome = `${(error as Error).name}: ${(error as Error).message}`; }
    assert.is(outcome, `UsageError: --state ${dir}: ${join(dir, STATE_LOCK_FILE)} is a directory; it is where mcpwire serve records the pid that uses this directory: remove it, or choose another --state`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
