import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage, McpError } from '../../protocol/index.ts';
import { eventStoreContract } from './contract.ts';
import { createFileEventStore, type FileEventStoreOptions } from './file.ts';
import { EPOCH_STRIDE } from './log-epochs.ts';
import type { FsyncMode } from './log-file.ts';
import type { EventStore } from './types.ts';

const dirs: string[] = [];
const unexpected: McpError[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-file-store-'));
  dirs.push(dir);
  return dir;
}

async function cleanup(): Promise<void> {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

function contractFor(fsync: FsyncMode) {
  const contract = suite(`the file store (fsync ${fsync}) meets the EventStore contract`);
  const make = async (extra: Partial<FileEventStoreOptions> = {}) =>
    createFileEventStore({ dir: await tempDir(), fsync, onError: (e) => unexpected.push(e), ...extra });
  for (const c of eventStoreContract(() => make(), { makeBoundedStore: (maxEventsPerStream) => make({ maxEventsPerStream }) })) {
    contract(c.name, c.run);
  }
  contract('no background error was reported', () => {
    assert.equal(unexpected.map((e) => e.message), []);
  });
  contract.after(cleanup);
  return contract;
}

const note = (i: number, tag = 'x'): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { tag, i } });
const indexOf = (m: JsonRpcMessage): number => (m as unknown as { params: { i: number } }).params.i;

async function replayAll(store: EventStore, id: string): Promise<Array<[string, number]>> {
  const out: Array<[string, number]> = [];
  await store.replayAfter(id, (eventId, m) => void out.push([eventId, indexOf(m)]));
  return out;
}

async function reason(store: EventStore, id: string): Promise<string> {
  try {
    await store.replayAfter(id, () => {});
    return 'ok';
  } catch (error) {
    return String((error as { reason?: string }).reason ?? (error as Error).message);
  }
}

const restart = suite('the file store keeps history and sessions across a restart');

restart('ids issued before a restart replay after it, and streams continue', async () => {
  const dir = await tempDir();
  const errors: McpError[] = [];
  const a = { sessionId: 'sess-1', streamId: 'post-1' };
  let store = await createFileEventStore({ dir, fsync: 'never', onError: (e) => errors.push(e) });
  const start = await store.openStream(a);
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push(await store.append(a, note(i)));
  const other = await store.append({ sessionId: 'sess-2', streamId: 'get' }, note(100));
  await store.saveSession('sess-1', { protocolVersion: '2025-11-25', capabilities: { sampling: {} } });
  await store.close();

  store = await createFileEventStore({ dir, fsync: 'never', onError: (e) => errors.push(e) });
  assert.equal((await replayAll(store, start)).map((e) => e[0]), ids);
  assert.equal(await replayAll(store, ids[9]!), ids.slice(10).map((id, k) => [id, 10 + k]));
  // Its stream has no end record and nothing carries it on: its end is unknown (file-cut-tail.test.ts)
  // until it is opened again.
  assert.is(await reason(store, other), 'evicted');
  await store.openStream({ sessionId: 'sess-2', streamId: 'get' });
  assert.equal(await replayAll(store, other), []);
  assert.equal(await store.loadSessions(), [{ sessionId: 'sess-1', meta: { protocolVersion: '2025-11-25', capabilities: { sampling: {} } } }]);
  const next = await store.append(a, note(20));
  assert.is(next.split('.')[0], ids[0]!.split('.')[0], 'same stream token');
  // Read back from its log, the stream goes on under a new epoch's seqs (log-epochs.ts): past
  // any an earlier process may have sent before its log lost them, and right after its last.
  assert.is(Number(next.split('.')[1]), 20 + EPOCH_STRIDE + 1);
  assert.equal(await replayAll(store, ids[19]!), [[next, 20]]);
  assert.is(await reason(store, `${ids[0]!.split('.')[0]}.21`), 'evicted', 'a seq the epoch skipped stays refused');
  assert.is(await store.openStream(a), next);
  await store.close();
  assert.equal(errors, []);
});

restart('a hand-made torn last line is truncated away, silently; a whole unreadable last line is reported', async () => {
  const dir = await tempDir();
  const errors: McpError[] = [];
  const a = { sessionId: 's', streamId: 'x' };
  let store = await createFileEventStore({ dir, onError: (e) => errors.push(e) });
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push(await store.append(a, note(i)));
  await store.close();
  const [name] = await readdir(dir);
  const path = join(dir, name!);
  const before = (await stat(path)).size;
  const token = ids[0]!.split('.')[0];
  const { appendFile } = await import('node:fs/promises');
  await appendFile(path, `{"k":"${token}","n":6,"m":{"jsonrpc":"2.0","meth`);

  store = await createFileEventStore({ dir, onError: (e) => errors.push(e) });
  assert.is((await stat(path)).size, before, 'truncated to the last complete line');
  assert.equal((await replayAll(store, ids[1]!)).map((e) => e[0]), ids.slice(2));
  const id6 = await store.append(a, note(5));
  assert.is(id6, `${token}.${5 + EPOCH_STRIDE + 1}`, 'a new epoch after the restart (log-epochs.ts)');
  await store.close();

  // A whole line (it has its newline) that is unreadable is damage, not a torn write: it is
  // reported and kept, and the events around it still replay.
  await appendFile(path, 'garbage that is not json\n');
  store = await createFileEventStore({ dir, onError: (e) => errors.push(e) });
  assert.equal((await replayAll(store, ids[3]!)).map((e) => e[1]), [4, 5]);
  await store.close();
  assert.equal(errors.map((e) => e.code), ['MCP_ERR_STORE']);
  assert.match(errors[0]!.message, /unreadable or altered line/);
  assert.ok((await readFile(path, 'utf8')).includes('garbage'), 'damage is kept for inspection, not deleted');
});

restart('a damaged line in the middle is reported, the rest loads, and no replay crosses the hole', async () => {
  const dir = await tempDir();
  const errors: McpError[] = [];
  const a = { sessionId: 's', streamId: 'x' };
  let store = await createFileEventStore({ dir, onError: (e) => errors.push(e) });
  const start = await store.openStream(a);
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) ids.push(await store.append(a, note(i)));
  await store.close();
  const [name] = await readdir(dir);
  const path = join(dir, name!);
  const lines = (await readFile(path, 'utf8')).split('\n');
  const victim = lines.findIndex((l) => l.includes(`"n":5,`));
  lines[victim] = lines[victim]!.slice(0, 20); // event 5 is torn in the middle of the file
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, lines.join('\n'));

  store = await createFileEventStore({ dir, onError: (e) => errors.push(e) });
  assert.is(errors.length, 1);
  assert.is(errors[0]!.code, 'MCP_ERR_STORE');
  assert.match(errors[0]!.message, /unreadable or altered line/);
  assert.match(errors[0]!.message, /events 5\.\.5/);
  assert.is(await reason(store, start), 'evicted');
  assert.is(await reason(store, ids[2]!), 'evicted');
  assert.equal((await replayAll(store, ids[4]!)).map((e) => e[1]), [5, 6, 7, 8, 9]);
  assert.equal((await replayAll(store, ids[7]!)).map((e) => e[1]), [8, 9]);
  await store.close();
});

restart('empty files are removed; header-torn and foreign files are set aside and reported; leftover temp files removed', async () => {
  const dir = await tempDir();
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dir, 'a.log'), '');
  await writeFile(join(dir, 'b.log'), '{"t":"h","v":1,"sess');
  await writeFile(join(dir, 'c.log'), '{"hello":"world"}\n');
  await writeFile(join(dir, 'd.log.tmp'), 'half a compaction');
  const errors: McpError[] = [];
  const store = await createFileEventStore({ dir, onError: (e) => errors.push(e) });
  assert.equal((await readdir(dir)).sort(), ['b.log.corrupt', 'c.log.corrupt']);
  assert.is(errors.length, 2);
  assert.match(errors.map((e) => e.message).sort()[0]!, /b\.log .*renamed to .*b\.log\.corrupt/);
  assert.match(errors.map((e) => e.message).sort()[1]!, /c\.log .*renamed to .*c\.log\.corrupt/);
  assert.equal(await store.loadSessions(), []);
  await store.close();
});

const compaction = suite('the file store compacts logs and replays correctly after it');

compaction('a long session stays bounded on disk; retained history replays, evicted history is refused', async () => {
  const dir = await tempDir();
  const errors: McpError[] = [];
  const opts = { dir, fsync: 'never' as const, maxEventsPerStream: 50, compactAfterBytes: 8 * 1024, onError: (e: McpError) => errors.push(e) };
  let store = await createFileEventStore(opts);
  const a = { sessionId: 's', streamId: 'a' };
  const b = { sessionId: 's', streamId: 'b' };
  await store.saveSession('s', { v: 1 });
  const idsA: string[] = [];
  const idsB: string[] = [];
  let maxSize = 0;
  const [name] = await readdir(dir);
  const path = join(dir, name!);
  for (let i = 0; i < 2_000; i++) {
    idsA.push(await store.append(a, note(i, 'a')));
    if (i % 4 === 0) idsB.push(await store.append(b, note(i, 'b')));
    if (i % 100 === 0) maxSize = Math.max(maxSize, (await stat(path)).size);
  }
  assert.ok(maxSize < 64 * 1024, `log stayed small: ${maxSize} bytes`);
  assert.is(await reason(store, idsA[1_948]!), 'evicted');
  assert.equal((await replayAll(store, idsA[1_949]!)).map((e) => e[1]), Array.from({ length: 50 }, (_, k) => 1_950 + k));
  assert.equal((await replayAll(store, idsB[449]!)).map((e) => e[1]), Array.from({ length: 50 }, (_, k) => (450 + k) * 4));
  await store.close();

  store = await createFileEventStore(opts);
  assert.equal((await replayAll(store, idsA[1_979]!)).map((e) => e[1]), Array.from({ length: 20 }, (_, k) => 1_980 + k));
  assert.is(await reason(store, idsA[1_000]!), 'evicted');
  assert.equal(await store.loadSessions(), [{ sessionId: 's', meta: { v: 1 } }]);
  assert.ok(!(await readdir(dir)).some((n) => n.endsWith('.tmp')));
  await store.close();
  assert.equal(errors, []);
});

compaction('a session whose history is all live is not rewritten on every append', async () => {
  const dir = await tempDir();
  const store = await createFileEventStore({ dir, fsync: 'never', compactAfterBytes: 4 * 1024, onError: (e) => assert.unreachable(e.message) });
  const key = { sessionId: 's', streamId: 'a' };
  const first = await store.openStream(key);
  for (let i = 0; i < 3_000; i++) await store.append(key, note(i));
  assert.is((await replayAll(store, first)).length, 3_000);
  await store.close();
});

const ops = suite('the file store: fsync modes, deletion, open files, throughput');

ops('every fsync mode round-trips, and concurrent appends to many sessions stay ordered', async () => {
  for (const fsync of ['always', 'interval', 'never'] as const) {
    const dir = await tempDir();
    const store = await createFileEventStore({ dir, fsync, fsyncIntervalMs: 5, onError: (e) => assert.unreachable(e.message) });
    const keys = Array.from({ length: 5 }, (_, i) => ({ sessionId: `s${i}`, streamId: 'p' }));
    const starts = await Promise.all(keys.map((k) => store.openStream(k)));
    await Promise.all(Array.from({ length: 300 }, (_, i) => store.append(keys[i % 5]!, note(i))));
    for (let s = 0; s < 5; s++) {
      const expected = Array.from({ length: 60 }, (_, k) => k * 5 + s);
      assert.equal((await replayAll(store, starts[s]!)).map((e) => e[1]), expected, `${fsync} session ${s}`);
    }
    await store.close();
  }
});

ops('deleteSession removes the file; the session can start again at once', async () => {
  const dir = await tempDir();
  const store = await createFileEventStore({ dir, onError: (e) => assert.unreachable(e.message) });
  const key = { sessionId: 's', streamId: 'p' };
  const old = await store.append(key, note(1));
  await store.append({ sessionId: 'keep', streamId: 'p' }, note(1));
  assert.is((await readdir(dir)).length, 2);
  const deleting = store.deleteSession('s');
  const fresh = await store.openStream(key); // queued behind the deletion of the same file
  await deleting;
  const after = await store.append(key, note(2));
  assert.is(await reason(store, old), 'unknown');
  assert.equal((await replayAll(store, fresh)).map((e) => e[0]), [after]);
  await store.close();
  const reopened = await createFileEventStore({ dir, onError: (e) => assert.unreachable(e.message) });
  assert.equal((await replayAll(reopened, fresh)).map((e) => e[0]), [after]);
  assert.is(await reason(reopened, old), 'unknown');
  await reopened.close();
});

ops('more sessions than maxOpenFiles still append and replay correctly', async () => {
  const dir = await tempDir();
  const store = await createFileEventStore({ dir, maxOpenFiles: 2, onError: (e) => assert.unreachable(e.message) });
  const keys = Array.from({ length: 6 }, (_, i) => ({ sessionId: `s${i}`, streamId: 'p' }));
  const starts: string[] = [];
  for (const k of keys) starts.push(await store.openStream(k));
  for (let i = 0; i < 120; i++) await store.append(keys[i % 6]!, note(i));
  for (let s = 0; s < 6; s++) assert.is((await replayAll(store, starts[s]!)).length, 20);
  await store.close();
});

ops('10 000 appends and a 5 000-event replay (interval fsync)', async () => {
  const dir = await tempDir();
  const store = await createFileEventStore({ dir, onError: (e) => assert.unreachable(e.message) });
  const key = { sessionId: 's', streamId: 'p' };
  const t0 = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < 10_000; i++) ids.push(await store.append(key, { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: i, total: 10_000 } }));
  const t1 = performance.now();
  let n = 0;
  await store.replayAfter(ids[4_999]!, () => void (n += 1));
  const t2 = performance.now();
  assert.is(n, 5_000);
  await store.close();
  // Bounds far above the expected (tens of ms) so a slow machine does not fail it.
  assert.ok(t1 - t0 < 30_000 && t2 - t1 < 30_000, `append ${Math.round(t1 - t0)} ms, replay ${Math.round(t2 - t1)} ms`);
});

ops.after(cleanup);
restart.after(cleanup);
compaction.after(cleanup);

contractFor('always').run();
contractFor('interval').run();
restart.run();
compaction.run();
ops.run();
