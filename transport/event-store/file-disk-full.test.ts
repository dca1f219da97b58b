// Disk full (issue #10 item 3): a write that fails fails its own append with MCP_ERR_STORE,
// reads keep working, and once space returns appends work again without a restart; the log
// never keeps half a batch. Faults come from a fake file system seam; a real tiny tmpfs is
// used too when `mount` works (else that suite says why it is skipped).
import { execFileSync } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage, McpError } from '../../protocol/index.ts';
import { createFileEventStore } from './file.ts';
import { nodeLogFs, type LogFs, type LogHandle } from './log-fs.ts';
import type { EventStore } from './types.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-disk-full-'));
  dirs.push(dir);
  return dir;
}

/** A file system whose writes fail with ENOSPC while `full` is set, after writing `partial` bytes. */
function fullDisk() {
  const state = { full: false, partial: 0, truncateFails: false, failedWrites: 0, code: 'ENOSPC' };
  const enospc = () => Object.assign(new Error(`${state.code}: the write was refused`), { code: state.code });
  const fs: LogFs = {
    ...nodeLogFs,
    async open(path, flags, mode) {
      const real = await nodeLogFs.open(path, flags, mode);
      const handle: LogHandle = {
        read: (b, o, l, p) => real.read(b, o, l, p),
        async write(buffer, offset, length) {
          if (!state.full) return real.write(buffer, offset, length);
          state.failedWrites += 1;
          if (state.partial > 0) await real.write(buffer, offset, Math.min(state.partial, length));
          throw enospc();
        },
        async truncate(length) {
          if (state.truncateFails) throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO' });
          return real.truncate(length);
        },
        datasync: () => real.datasync(),
        sync: () => real.sync(),
        stat: () => real.stat(),
        chmod: (m) => real.chmod(m),
        close: () => real.close(),
      };
      return handle;
    },
  };
  return { fs, state };
}

const note = (i: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: i } });
const progressOf = (m: JsonRpcMessage): number => (m as unknown as { params: { progress: number } }).params.progress;

async function replayAll(store: EventStore, id: string): Promise<number[]> {
  const out: number[] = [];
  await store.replayAfter(id, (_id, m) => void out.push(progressOf(m)));
  return out;
}

async function storeError(promise: Promise<unknown>): Promise<McpError> {
  try {
    await promise;
  } catch (error) {
    return error as McpError;
  }
  throw new Error('expected the call to fail');
}

const seam = suite('file store on a full disk (fake file system)');

seam('a file past the process\'s file-size limit (ulimit -f: EFBIG) is said as such, and undone like a full disk', async () => {
  const dir = await tempDir();
  const { fs, state } = fullDisk();
  const key = { sessionId: 's', streamId: 'p' };
  const store = await createFileEventStore({ dir, fs, fsync: 'always', onError: () => {} });
  const start = await store.openStream(key);
  await store.append(key, note(1));
  state.full = true;
  state.code = 'EFBIG';
  const error = await storeError(store.append(key, note(2)));
  assert.is(error.code, 'MCP_ERR_STORE');
  assert.match(error.message, /the file reached the process's file-size limit \(EFBIG: ulimit -f\)/);
  state.full = false;
  await store.append(key, note(3));
  assert.equal(await replayAll(store, start), [1, 3]);
  await store.close();
});

seam('the failing append gets MCP_ERR_STORE, reads go on, and appends work again once space returns', async () => {
  const dir = await tempDir();
  const { fs, state } = fullDisk();
  const background: McpError[] = [];
  const key = { sessionId: 's', streamId: 'p' };
  let store = await createFileEventStore({ dir, fs, fsync: 'always', onError: (e) => background.push(e) });
  const start = await store.openStream(key);
  for (let i = 1; i <= 3; i++) await store.append(key, note(i));

  state.full = true;
  state.partial = 10; // the device took a few bytes before it filled: they must not stay
  const error = await storeError(store.append(key, note(4)));
  assert.is(error.code, 'MCP_ERR_STORE');
  assert.match(error.message, /no space left on the device \(ENOSPC\)/);
  // A second failure is the same clear error, not a different one (no error loop).
  assert.is((await storeError(store.append(key, note(4)))).code, 'MCP_ERR_STORE');
  assert.equal(await replayAll(store, start), [1, 2, 3], 'history is still readable while the disk is full');
  const otherSession = await storeError(store.openStream({ sessionId: 'new', streamId: 'p' }));
  assert.is(otherSession.code, 'MCP_ERR_STORE');

  state.full = false;
  const id4 = await store.append(key, note(4));
  assert.is(id4.split('.')[1], '4', 'the failed appends left no hole in the stream');
  await store.append(key, note(5));
  assert.equal(await replayAll(store, start), [1, 2, 3, 4, 5]);
  await store.openStream({ sessionId: 'new', streamId: 'p' });
  await store.close();
  assert.ok(state.failedWrites >= 3);

  store = await createFileEventStore({ dir, onError: (e) => background.push(e) });
  assert.equal(await replayAll(store, start), [1, 2, 3, 4, 5]);
  await store.close();
  assert.equal(background.map((e) => e.message), [], 'the log holds no torn bytes and no damage');
});

seam('when the cut-off itself fails, the next write repairs the tail first', async () => {
  const dir = await tempDir();
  const { fs, state } = fullDisk();
  const key = { sessionId: 's', streamId: 'p' };
  let store = await createFileEventStore({ dir, fs, fsync: 'never', onError: (e) => assert.unreachable(e.message) });
  const start = await store.openStream(key);
  await store.append(key, note(1));
  state.full = true;
  state.partial = 7;
  state.truncateFails = true;
  assert.is((await storeError(store.append(key, note(2)))).code, 'MCP_ERR_STORE');
  state.full = false;
  state.truncateFails = false;
  await store.append(key, note(2));
  await store.close();
  store = await createFileEventStore({ dir, onError: (e) => assert.unreachable(e.message) });
  assert.equal(await replayAll(store, start), [1, 2]);
  await store.close();
});

seam('a batch of concurrent appends fails together and each caller hears of it', async () => {
  const dir = await tempDir();
  const { fs, state } = fullDisk();
  const key = { sessionId: 's', streamId: 'p' };
  const store = await createFileEventStore({ dir, fs, onError: (e) => assert.unreachable(e.message) });
  const start = await store.openStream(key);
  state.full = true;
  const results = await Promise.allSettled([1, 2, 3].map((i) => store.append(key, note(i))));
  assert.equal(results.map((r) => r.status), ['rejected', 'rejected', 'rejected']);
  state.full = false;
  const ids = await Promise.all([1, 2, 3].map((i) => store.append(key, note(i))));
  assert.equal(ids.map((id) => id.split('.')[1]), ['1', '2', '3']);
  assert.equal(await replayAll(store, start), [1, 2, 3]);
  await store.close();
});

seam.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const tmpfs = suite('file store on a real full tmpfs (needs mount)');
let mountPoint: string | undefined;
let skipReason: string | undefined;
/** Closed after a failed assertion too, so the tmpfs can be unmounted. */
let openOnMount: EventStore | undefined;

tmpfs.before(async () => {
  const dir = await tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'pipe' });
    mountPoint = dir;
  } catch (error) {
    skipReason = `mount -t tmpfs failed (${String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n')[0]})`;
  }
});

tmpfs('appends fail with MCP_ERR_STORE when the device is full and work again after space is freed', async () => {
  if (!mountPoint) {
    console.log(`  skipped: ${skipReason}`);
    return;
  }
  const dir = join(mountPoint, 'events');
  const key = { sessionId: 's', streamId: 'p' };
  const filler = join(mountPoint, 'filler');
  const store = await createFileEventStore({ dir, fsync: 'always', onError: (e) => assert.unreachable(e.message) });
  openOnMount = store;
  const start = await store.openStream(key);
  await store.append(key, note(0));
  // Fill the device with a file we can delete later.
  const chunk = Buffer.alloc(4096, 120);
  for (let i = 0; i < 64; i++) {
    try {
      await appendFile(filler, chunk);
    } catch {
      break;
    }
  }
  const big = { ...note(1), params: { progressToken: 't', progress: 1, pad: 'x'.repeat(8192) } } as JsonRpcMessage;
  const error = await storeError(store.append(key, big));
  assert.is(error.code, 'MCP_ERR_STORE');
  assert.match(error.message, /no space left/);
  assert.equal(await replayAll(store, start), [0]);
  await unlink(filler);
  await store.append(key, big);
  assert.equal(await replayAll(store, start), [0, 1]);
  await store.close();
  const [name] = (await readdir(dir)).filter((n) => n.endsWith('.log'));
  const text = await readFile(join(dir, name!), 'utf8');
  assert.ok(text.endsWith('}\n'), 'no torn bytes at the end');
  assert.ok((await stat(join(dir, name!))).size < 12 * 1024);
});

tmpfs.after(async () => {
  await openOnMount?.close().catch(() => { /* already closed */ });
  if (mountPoint) execFileSync('umount', ['-l', mountPoint]);
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

seam.run();
tmpfs.run();
