// The file task store keeps a reserve file it deletes at the first full-disk write, so that
// write lands (session 18). The reserve was made again only when the store next opened: in a
// process that ran on, a second full disk found no reserve, and a task's outcome (or the mark
// that its run ended) was refused. Now a write that lands while the reserve is missing makes
// it again (in the background of that write; a failed attempt waits for more writes before
// the next). The disk here has a capacity: once full it takes writes only up to what deleted
// files gave back, or what the test frees.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleTask } from './contract.ts';
import { createFileTaskStore } from './file.ts';
import { tightDiskFs } from '../../test/support/full-disk-fs.ts';


const test = suite('the file task store makes its reserve again once space is back');

test('two full disks in one process: the second one\'s write lands too', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-reserve-'));
  const dir = join(root, 'tasks');
  const disk = { full: false, free: 0 };
  const errors: string[] = [];
  try {
    const store = await createFileTaskStore({ dir, fs: tightDiskFs(disk), now: () => 1_000, reserveBytes: 4_096, onError: (e) => errors.push(e.message) });
    await store.create(sampleTask('t1'));
    disk.full = true; // something else filled the disk
    await store.update('t1', { status: 'completed', outcome: { result: { content: [] } } });
    assert.equal(errors.length, 1, 'the first full disk: the reserve is deleted');
    disk.full = false; // space is back (the operator freed some)
    await store.create(sampleTask('t2'));
    await store.create(sampleTask('t3'));
    assert.ok((await readdir(dir)).includes('tasks.reserve'), 'the reserve is not made again after writes landed');
    disk.full = true; // the disk fills again
    disk.free = 0;
    await store.update('t2', { status: 'completed', outcome: { result: { content: [] } } });
    assert.is((await store.get('t2'))?.status, 'completed');
    assert.equal(errors.length, 2, 'the second full disk: the reserve made again is deleted');
    await store.close();
    const again = await createFileTaskStore({ dir, now: () => 1_000, reserveBytes: 4_096 });
    assert.equal((await again.list()).tasks.map((t) => [t.taskId, t.status]), [['t1', 'completed'], ['t2', 'completed'], ['t3', 'working']]);
    await again.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a disk still full: the reserve is tried again only after more and more writes, and the writes land', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-reserve-'));
  const dir = join(root, 'tasks');
  const disk = { full: false, free: 0 };
  const errors: string[] = [];
  try {
    const store = await createFileTaskStore({ dir, fs: tightDiskFs(disk), now: () => 1_000, reserveBytes: 8_192, onError: (e) => errors.push(e.message) });
    disk.full = true;
    for (let i = 0; i < 12; i++) await store.create(sampleTask(`t${i}`)); // the first deletes the reserve; all land in its 8 KiB
    await store.close();
    const tries = errors.filter((m) => m.includes('could not be made')).length;
    assert.ok(tries >= 2 && tries <= 4, `tried ${tries} times in 12 writes (expected after writes 2, 4 and 8)`);
    assert.not.ok((await readdir(dir)).includes('tasks.reserve'), 'a reserve that could not be made whole is not left half made');
    const again = await createFileTaskStore({ dir, now: () => 1_000, reserveBytes: 8_192 });
    assert.is((await again.list()).tasks.length, 12);
    await again.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test.run();
