// Names in the file task store's directory that hold no regular file at start. `tasks.log` a
// FIFO: the store hung at open (the append handle's open blocks until a reader comes), so
// `mcpwire serve --state` never listened and said nothing; a link to /dev/null took every
// write and failed at fdatasync. `tasks.reserve` a FIFO: the same hang; a symbolic link:
// its target was overwritten with reserveBytes of zeros. Now the log is set aside as any
// unusable log is (told, the store starts empty), and the reserve is made anew beside it.
import { constants, openSync, closeSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleTask } from './contract.ts';
import { createFileTaskStore } from './file.ts';
import type { TaskStore } from './types.ts';

const test = suite('file task store: a FIFO, a device or a link where its files go');
const roots: string[] = [];
const canMkfifo = process.platform !== 'win32';

test.after(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

async function storeDir(): Promise<{ root: string; dir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-special-'));
  roots.push(root);
  const dir = join(root, 'tasks');
  await mkdir(dir, { mode: 0o700 });
  return { root, dir };
}

/**
 * The store opened on `dir`, or 'hung' after 10 s; then `fifo` (if given) is opened for
 * reading so a writer blocked on it (the code before the fix) lets go and the test can end.
 */
async function openBounded(dir: string, told: string[], fifo?: string): Promise<TaskStore | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const opened = createFileTaskStore({ dir, onError: (e) => told.push(e.message) });
  const result = await Promise.race([opened, new Promise<'hung'>((resolve) => { timer = setTimeout(() => resolve('hung'), 10_000); })]);
  clearTimeout(timer);
  if (result === 'hung' && fifo) {
    closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
    await opened.then((s) => s.close(), () => undefined);
  }
  return result;
}

test('tasks.log a FIFO: set aside, told, the store opens empty and keeps what it is given', async () => {
  if (!canMkfifo) return;
  const { dir } = await storeDir();
  const log = join(dir, 'tasks.log');
  execFileSync('mkfifo', [log]);
  const told: string[] = [];
  const store = await openBounded(dir, told, log);
  assert.ok(store !== 'hung', 'the store hung at open');
  await store.create(sampleTask('a', 'o', Date.now()));
  await store.close();
  assert.equal(told, [`task log ${log} is not a regular file (a FIFO); renamed to ${log}.corrupt, starting with no tasks`]);
  const again = await createFileTaskStore({ dir });
  assert.ok(await again.get('a'), 'the task is in the new log');
  await again.close();
});

test('tasks.log a link to /dev/null: set aside, not written into', async () => {
  const { dir } = await storeDir();
  const log = join(dir, 'tasks.log');
  await symlink('/dev/null', log);
  const told: string[] = [];
  const store = await createFileTaskStore({ dir, onError: (e) => told.push(e.message) });
  await store.create(sampleTask('a', 'o', Date.now()));
  await store.close();
  assert.equal(told, [`task log ${log} is not a regular file (a character device); renamed to ${log}.corrupt, starting with no tasks`]);
});

test('tasks.reserve a FIFO: the store opens (the reserve made anew)', async () => {
  if (!canMkfifo) return;
  const { dir } = await storeDir();
  const reserve = join(dir, 'tasks.reserve');
  execFileSync('mkfifo', [reserve]);
  const told: string[] = [];
  const store = await openBounded(dir, told, reserve);
  assert.ok(store !== 'hung', 'the store hung at open');
  await store.close();
  assert.equal(told, []);
  assert.is((await readFile(reserve)).byteLength, 65_536);
});

test('tasks.reserve a symbolic link: its target is left as it was', async () => {
  const { root, dir } = await storeDir();
  const precious = join(root, 'precious.txt');
  await writeFile(precious, 'keep me');
  await symlink(precious, join(dir, 'tasks.reserve'));
  const store = await createFileTaskStore({ dir });
  await store.close();
  assert.is(await readFile(precious, 'utf8'), 'keep me');
  assert.is((await readFile(join(dir, 'tasks.reserve'))).byteLength, 65_536);
});

test.run();
