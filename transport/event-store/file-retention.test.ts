// Bounded history per session (issue #10 item 6): finished streams are dropped after the
// retention window (a count and a time), so a session with many calls keeps neither its log
// nor its index growing; a dropped stream answers 410, also after a restart.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage, McpError } from '../../protocol/index.ts';
import { createFileEventStore, type FileEventStoreOptions } from './file.ts';
import type { EventStore, SessionEventStore } from './types.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-retention-'));
  dirs.push(dir);
  return dir;
}

const progress = (i: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: i, total: 3 } });
const result = (id: number): JsonRpcMessage => ({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: `answer ${id}` }] } });

async function outcome(store: EventStore, id: string, session = 's'): Promise<string> {
  let n = 0;
  try {
    await store.replayAfter(id, () => void (n += 1), session);
    return `ok ${n}`;
  } catch (error) {
    return `refused ${(error as { reason?: string }).reason}`;
  }
}

/** One call as the HTTP server makes it: a POST stream, 3 progress events, the result, the end. */
async function call(store: SessionEventStore, n: number): Promise<string> {
  const key = { sessionId: 's', streamId: `p${n}` };
  const start = await store.openStream(key);
  for (let i = 1; i <= 3; i++) await store.append(key, progress(i));
  await store.append(key, result(n));
  await store.endStream!(key);
  return start;
}

const count = suite('finished streams beyond the per-session count are dropped, oldest first');

count('the newest finished streams replay; older ones answer evicted, also after a restart; live streams are kept', async () => {
  const dir = await tempDir();
  const errors: McpError[] = [];
  const opts: FileEventStoreOptions = { dir, retainFinishedStreams: 3, onError: (e) => errors.push(e) };
  let store = await createFileEventStore(opts);
  const live = { sessionId: 's', streamId: 'standalone' };
  const liveStart = await store.openStream(live);
  await store.append(live, progress(0));
  const starts: string[] = [];
  for (let n = 0; n < 10; n++) starts.push(await call(store, n));
  for (let n = 0; n < 7; n++) assert.is(await outcome(store, starts[n]!), 'refused evicted', `call ${n}`);
  for (let n = 7; n < 10; n++) assert.is(await outcome(store, starts[n]!), 'ok 4', `call ${n}`);
  assert.is(await outcome(store, liveStart), 'ok 1', 'a stream that never finished is never dropped');
  assert.is(await outcome(store, starts[0]!, 'other'), 'refused unknown', 'another session learns nothing');
  await store.close();

  store = await createFileEventStore(opts);
  for (let n = 0; n < 7; n++) assert.is(await outcome(store, starts[n]!), 'refused evicted', `after restart, call ${n}`);
  for (let n = 7; n < 10; n++) assert.is(await outcome(store, starts[n]!), 'ok 4', `after restart, call ${n}`);
  assert.is(await outcome(store, liveStart), 'ok 1');
  await store.close();
  assert.equal(errors.map((e) => e.message), []);
});

const time = suite('finished streams are dropped once the retention time has passed (injected clock)');

time('a finished stream replays within the window and is evicted after it, even when no other call ends', async () => {
  const dir = await tempDir();
  let clock = 1_000_000;
  const store = await createFileEventStore({ dir, retainFinishedMs: 60_000, now: () => clock, onError: (e) => assert.unreachable(e.message) });
  const first = await call(store, 1);
  clock += 59_999;
  assert.is(await outcome(store, first), 'ok 4');
  clock += 1;
  assert.is(await outcome(store, first), 'refused evicted');
  await store.close();
});

const bounded = suite('a session with many calls stays bounded on disk and in the index');

bounded('5 000 calls: the log stays under a fixed size and holds only the retained streams after compaction', async () => {
  const dir = await tempDir();
  const store = await createFileEventStore({ dir, fsync: 'never', retainFinishedStreams: 8, compactAfterBytes: 64 * 1024, onError: (e) => assert.unreachable(e.message) });
  await store.saveSession('s', { protocolVersion: '2025-11-25' });
  let path = '';
  let largest = 0;
  const starts: string[] = [];
  for (let n = 0; n < 5_000; n++) {
    starts.push(await call(store, n));
    if (n === 0) path = join(dir, (await readdir(dir))[0]!);
    if (n % 250 === 0) largest = Math.max(largest, (await stat(path)).size);
  }
  // Each call writes ~900 bytes: 5 000 of them unbounded would be ~4.5 MB.
  assert.ok(largest <= 2 * 64 * 1024 + 4096, `the log peaked at ${largest} bytes`);
  await store.close();
  const reopened = await createFileEventStore({ dir, retainFinishedStreams: 8, compactAfterBytes: 64 * 1024, onError: (e) => assert.unreachable(e.message) });
  assert.is(await outcome(reopened, starts[4_999]!), 'ok 4');
  assert.is(await outcome(reopened, starts[4_991]!), 'refused evicted');
  assert.is(await outcome(reopened, starts[10]!), 'refused evicted');
  assert.equal(await reopened.loadSessions(), [{ sessionId: 's', meta: { protocolVersion: '2025-11-25' } }]);
  await reopened.close();
  const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
  const streamRecords = lines.filter((l) => l.startsWith('{"t":"s"')).length;
  const drops = lines.filter((l) => l.startsWith('{"t":"d"')).length;
  // What remains: at most the retained streams plus those finished since the last compaction.
  assert.ok(streamRecords - drops <= 8, `${streamRecords} stream records, ${drops} dropped`);
  assert.ok(lines.length < 64 * 1024 / 100, `${lines.length} lines`);
});

for (const s of [count, time, bounded]) {
  s.after(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
}

count.run();
time.run();
bounded.run();
