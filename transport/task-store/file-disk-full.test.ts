// A write to the task log that fails half way (a full disk, injected through the store's
// file system seam) is undone: the call rejects with MCP_ERR_STORE, the store keeps no trace
// of the task, and the next write lands on a clean line, so a reopen loads every record
// without damage.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeLogFs, type LogFs, type LogHandle } from '../event-store/log-fs.ts';
import { sampleTask } from './contract.ts';
import { createFileTaskStore } from './file.ts';

/** The real file system, except that a write fails half way while `full.on` is set. */
function fullDisk(): { fs: LogFs; full: { on: boolean } } {
  const full = { on: false };
  const fs: LogFs = {
    ...nodeLogFs,
    async open(path, flags, mode) {
      const fh = await nodeLogFs.open(path, flags, mode);
      const wrapped: LogHandle = Object.create(fh) as LogHandle;
      wrapped.write = async (buffer, offset, length) => {
        if (!full.on) return fh.write(buffer, offset, length);
        await fh.write(buffer, offset, Math.floor(length / 2));
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      };
      for (const name of ['read', 'truncate', 'datasync', 'sync', 'stat', 'chmod', 'close'] as const) {
        (wrapped as unknown as Record<string, unknown>)[name] = (fh[name] as (...a: unknown[]) => unknown).bind(fh);
      }
      return wrapped;
    },
  };
  return { fs, full };
}

const test = suite('the file task store survives a write that fails half way');

test('the failed create rejects with MCP_ERR_STORE and leaves no trace; later records load cleanly', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-full-'));
  const dir = join(root, 'tasks');
  try {
    const { fs, full } = fullDisk();
    const errors: Error[] = [];
    const store = await createFileTaskStore({ dir, fs, now: () => 1_000, onError: (e) => errors.push(e) });
    await store.create(sampleTask('before'));
    full.on = true;
    let code: unknown;
    try {
      await store.create(sampleTask('lost'));
    } catch (error) {
      code = (error as { code?: unknown }).code;
    }
    assert.is(code, 'MCP_ERR_STORE');
    assert.is(await store.get('lost'), undefined);
    full.on = false;
    await store.create(sampleTask('after'));
    await store.close();
    const again = await createFileTaskStore({ dir, now: () => 1_000, onError: (e) => errors.push(e) });
    assert.equal((await again.list()).tasks.map((t) => t.taskId), ['before', 'after']);
    // The full disk made the store delete its reserve (reported once); nothing else.
    assert.equal(errors.map((e) => e.message.replace(/reserve .*/, 'reserve')), ['the disk is full: the task store deleted its reserve'], 'no damage to report');
    await again.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test.run();
