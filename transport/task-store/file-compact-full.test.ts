// Compaction of the task log (a copy of its live records, then a rename) on a disk with no
// room for the copy: the change that triggered it was durable already, yet it rejected with
// a bare ENOSPC, and so did every later write, each trying the copy again (144 of 400 changes
// here); the runtime took those stored changes for refused (by the code: a created task the
// client was told failed would run after a restart). The half-written copy stayed, holding the space.
// Now a failed compaction is told once, its copy removed, and tried again later.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeLogFs, type LogFs, type LogHandle } from '../event-store/log-fs.ts';
import { sampleTask } from './contract.ts';
import { createFileTaskStore } from './file.ts';

/** Appends land; the compacted copy (a whole new file) does not fit. */
function tightDisk(): { fs: LogFs; full: { on: boolean }; refused: { n: number } } {
  const full = { on: true };
  const refused = { n: 0 };
  const fs: LogFs = {
    ...nodeLogFs,
    async open(path, flags, mode) {
      const fh = await nodeLogFs.open(path, flags, mode);
      if (!path.endsWith('.tmp')) return fh;
      const wrapped: LogHandle = Object.create(fh) as LogHandle;
      wrapped.write = async (buffer, offset, length) => {
        if (!full.on) return fh.write(buffer, offset, length);
        refused.n++;
        await fh.write(buffer, offset, Math.floor(length / 2));
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      };
      for (const name of ['read', 'truncate', 'datasync', 'sync', 'stat', 'chmod', 'close'] as const) {
        (wrapped as unknown as Record<string, unknown>)[name] = (fh[name] as (...a: unknown[]) => unknown).bind(fh);
      }
      return wrapped;
    },
  };
  return { fs, full, refused };
}

const test = suite('file task store: a compaction the disk has no room for');

test('the writes that triggered it land and resolve; it is told once, its copy removed, and done once there is room', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-compact-'));
  const dir = join(root, 'tasks');
  try {
    const { fs, full, refused } = tightDisk();
    const errors: Error[] = [];
    const store = await createFileTaskStore({ dir, fs, now: () => 1_000, onError: (e) => errors.push(e) });
    await store.create(sampleTask('t0'));
    const rejected: string[] = [];
    // 400 changes of one task: the log passes 2 x 1 + 256 lines, so compaction is due.
    for (let i = 0; i < 400; i++) await store.update('t0', { statusMessage: `step ${i}` }).catch((e: Error) => rejected.push(`${i}: ${e.message}`));
    assert.equal(rejected.slice(0, 3), [], `${rejected.length} durable changes were rejected`);
    assert.is(refused.n, 1, 'compaction tried once, not again at every write');
    assert.equal(errors.map((e) => e.message.replace(dir, '<dir>')), ['cannot compact the task log <dir>/tasks.log: ENOSPC: no space left on device; its records are safe, and it is tried again later']);
    assert.equal((await readdir(dir)).sort(), ['tasks.log', 'tasks.reserve'], 'the half-written copy holds the space it took');
    assert.is((await store.get('t0'))?.statusMessage, 'step 399');

    full.on = false; // room again: compaction runs within COMPACT_SLACK (256) more writes
    for (let i = 400; i < 660; i++) await store.update('t0', { statusMessage: `step ${i}` });
    const lines = (await readFile(join(dir, 'tasks.log'), 'utf8')).split('\n').filter(Boolean).length;
    assert.ok(lines < 300, `the log still holds ${lines} lines`);
    await store.close();
    const again = await createFileTaskStore({ dir, now: () => 1_000, onError: (e) => errors.push(e) });
    assert.is((await again.get('t0'))?.statusMessage, 'step 659');
    assert.is(errors.length, 1, errors.map((e) => e.message).join('\n'));
    await again.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('the copy of a compaction cut off by a kill is removed at the next open; the log is whole', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-compact-'));
  const dir = join(root, 'tasks');
  try {
    const first = await createFileTaskStore({ dir, now: () => 1_000 });
    await first.create(sampleTask('kept'));
    await first.close();
    await writeFile(join(dir, 'tasks.log.tmp'), 'half a copy'); // killed mid-copy
    const errors: Error[] = [];
    const again = await createFileTaskStore({ dir, now: () => 1_000, onError: (e) => errors.push(e) });
    assert.equal((await readdir(dir)).sort(), ['tasks.log', 'tasks.reserve'], 'the copy is left, holding its space');
    assert.ok(await again.get('kept'));
    assert.equal(errors, []);
    await again.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test.run();
