// A killed host whose pid the system gave to another process: the next host found the lock
// "held" by that unrelated process and ran with its state in memory, until someone deleted
// the lock by hand. The lock now also names when its process started (Linux /proc); a live
// pid that started at another time is not the holder. A lock without a start time (an older
// version's) is judged by its pid, as before.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_LOCK, lockHostState, processStart } from './state-lock.ts';

const test = suite('host state lock: a reused pid is not the holder');
let dir = '';
let child: ChildProcess | undefined;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcpwire-state-lock-'));
  // A live process that is not a host: stands for the one that got a killed host's pid.
  child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
});
test.after(async () => {
  child?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** The state directory, as a host that ended leaves it. */
async function makeState(state: string): Promise<void> {
  const lock = await lockHostState(state);
  if (lock.held) await lock.release();
}

const linux = await processStart(process.pid) !== undefined;

test('a lock naming a live pid with another start time is stale and taken', async () => {
  if (!linux) return console.log('  (skipped: no /proc here; the pid alone decides)');
  const state = join(dir, 'reused');
  await makeState(state);
  await writeFile(join(state, HOST_LOCK), JSON.stringify({ pid: child!.pid, start: '1' }));
  const lock = await lockHostState(state);
  assert.ok(lock.held, `the lock was taken for held by pid ${child!.pid}, a process started after the lock was written`);
  const written = JSON.parse(await readFile(join(state, HOST_LOCK), 'utf8')) as { pid: number; start?: string };
  assert.equal(written, { pid: process.pid, start: await processStart(process.pid) });
  if (lock.held) await lock.release();
});

test('a lock naming a live pid with its start time is held', async () => {
  if (!linux) return console.log('  (skipped: no /proc here)');
  const state = join(dir, 'live');
  await makeState(state);
  await writeFile(join(state, HOST_LOCK), JSON.stringify({ pid: child!.pid, start: await processStart(child!.pid!) }));
  const lock = await lockHostState(state);
  assert.equal(lock.held ? 'taken' : lock.pid, child!.pid);
});

test('a lock without a start time (an older version\'s) naming a live pid is held', async () => {
  const state = join(dir, 'older');
  await makeState(state);
  await writeFile(join(state, HOST_LOCK), JSON.stringify({ pid: child!.pid }));
  const lock = await lockHostState(state);
  assert.equal(lock.held ? 'taken' : lock.pid, child!.pid);
});

test.run();
