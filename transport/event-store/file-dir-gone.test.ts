// The store's directory removed while the server runs (`rm -rf` of the state, a temp cleaner),
// or one log deleted: appends went on into the open, nameless file and were acknowledged with
// an event id, nothing was reported, and at the next start the history was gone (a replay
// failed with a bare ENOENT). Now the log is written anew at its path from the open handle,
// told once through onError, and a replay, a close and a reopen all find every event.
// Also (faults31) the directory renamed away while the server runs and another made in its
// place (a backup by `mv`, a deploy swapping folders), or a log replaced at its path: the log
// kept appending into the file now elsewhere, unsaid, a replay (which opens the log by its
// path) failed with a bare ENOENT, and a restart lost the session. The path is now checked
// against the open handle too (log-relink.ts), and the log written anew the same way.
import { mkdir, mkdtemp, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage, McpError } from '../../protocol/index.ts';
import { createFileEventStore } from './file.ts';
import type { EventStore } from './types.ts';

const test = suite('file event store: its directory or log deleted, moved or replaced while it runs');
const parents: string[] = [];
test.after(async () => {
  for (const p of parents) await rm(p, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'mcpwire-events-gone-'));
  parents.push(parent);
  return join(parent, 'events');
}

const note = (n: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: n } });
const key = { sessionId: 'session-1', streamId: 'stream-1' };

async function replayAll(store: EventStore, startId: string): Promise<number[]> {
  const seen: number[] = [];
  await store.replayAfter(startId, (_id, message) => { seen.push((message as unknown as { params: { progress: number } }).params.progress); }, key.sessionId);
  return seen;
}

/** The loss was told once (`said`), the log written anew, and a reopened store replays events 1-6. */
async function toldOnceAndKept(dir: string, errors: McpError[], start: string, said: RegExp): Promise<void> {
  const told = errors.filter((e) => said.test(e.message));
  assert.is(told.length, 1, errors.map((e) => e.message).join('\n'));
  assert.match(told[0]!.message, /written anew from the open file, nothing lost/);
  const store = await createFileEventStore({ dir, onError: (e) => assert.unreachable(e.message) });
  try {
    assert.equal(await replayAll(store, start), [1, 2, 3, 4, 5, 6]);
  } finally {
    await store.close();
  }
}

for (const how of ['the directory removed', 'the log file deleted'] as const) {
  test(`${how}: events appended after it survive a close and a reopen, and it is told once`, async () => {
    const dir = await freshDir();
    const errors: McpError[] = [];
    const store = await createFileEventStore({ dir, fsync: 'never', onError: (e) => errors.push(e) });
    const start = await store.openStream(key);
    for (let i = 1; i <= 3; i++) await store.append(key, note(i));
    if (how === 'the directory removed') await rm(dir, { recursive: true, force: true });
    else for (const name of await readdir(dir)) await unlink(join(dir, name));
    for (let i = 4; i <= 6; i++) await store.append(key, note(i));
    await store.close();
    await toldOnceAndKept(dir, errors, start, /was deleted while the store ran/);
  });
}

test('a replay right after the directory was removed delivers every event, without a restart', async () => {
  const dir = await freshDir();
  const errors: McpError[] = [];
  const store = await createFileEventStore({ dir, fsync: 'never', onError: (e) => errors.push(e) });
  try {
    const start = await store.openStream(key);
    await store.append(key, note(1));
    await rm(dir, { recursive: true, force: true });
    await store.append(key, note(2));
    assert.equal(await replayAll(store, start), [1, 2]);
    await store.append(key, note(3));
    assert.equal(await replayAll(store, start), [1, 2, 3]);
    assert.is(errors.filter((e) => /was deleted while the store ran/.test(e.message)).length, 1);
  } finally {
    await store.close();
  }
});

test('a directory that cannot be made again (a file in its place): the failure is told, naming the log', async () => {
  const dir = await freshDir();
  const errors: McpError[] = [];
  const store = await createFileEventStore({ dir, fsync: 'never', onError: (e) => errors.push(e) });
  const start = await store.openStream(key);
  await store.append(key, note(1));
  await rm(dir, { recursive: true, force: true });
  await writeFile(dir, 'not a directory');
  const failure = await replayAll(store, start).then(() => undefined, (e: McpError) => e);
  assert.is(failure?.code, 'MCP_ERR_STORE');
  assert.match(failure?.message ?? '', /was deleted while the store ran .* could not be written anew: .*must be a directory, but it is a file/);
  await store.close();
});

test('a log deleted while its handle was closed (maxOpenFiles): the next append is refused, naming the loss, not written after a gap', async () => {
  const dir = await freshDir();
  const store = await createFileEventStore({ dir, fsync: 'never', maxOpenFiles: 1, onError: () => {} });
  try {
    await store.openStream(key);
    await store.append(key, note(1));
    const before = new Set(await readdir(dir));
    // A second session takes the only handle slot: the first log's handle is closed.
    const other = { sessionId: 'session-2', streamId: 'stream-1' };
    await store.openStream(other);
    await store.append(other, note(1));
    const first = [...before].find((name) => name.endsWith('.log'))!;
    await unlink(join(dir, first));
    const failure = await store.append(key, note(2)).then(() => undefined, (e: McpError) => e);
    assert.is(failure?.code, 'MCP_ERR_STORE');
    assert.match(failure?.message ?? '', /holds 0 of its \d+ bytes .*deleted or cut while its file was closed/, failure?.message);
  } finally {
    await store.close();
  }
});

const CASES = {
  /** The whole directory renamed, an empty one made at its name. */
  'the directory moved away': async (dir: string) => {
    await rename(dir, `${dir}.old`);
    await mkdir(dir, { mode: 0o700 });
  },
  /** The log renamed aside and other bytes written at its path. */
  'the log replaced by another file': async (dir: string) => {
    const [name] = (await readdir(dir)).filter((n) => n.endsWith('.log'));
    await rename(join(dir, name!), join(dir, `${name!}.aside`));
    await writeFile(join(dir, name!), 'not this session\'s log\n', { mode: 0o600 });
  },
};

for (const [how, change] of Object.entries(CASES)) {
  test(`${how}: a replay finds every event at once, appends go on, a reopen finds them all, told once`, async () => {
    const dir = await freshDir();
    const errors: McpError[] = [];
    const store = await createFileEventStore({ dir, fsync: 'never', onError: (e) => errors.push(e) });
    const start = await store.openStream(key);
    for (let i = 1; i <= 3; i++) await store.append(key, note(i));
    await change(dir);
    assert.equal(await replayAll(store, start), [1, 2, 3], 'served from the open file, written anew at its path');
    for (let i = 4; i <= 6; i++) await store.append(key, note(i));
    await store.close();
    await toldOnceAndKept(dir, errors, start, how.startsWith('the directory') ? /was moved away \(its folder renamed\?\) while the store ran/ : /was replaced by another file at its path while the store ran/);
  });
}

test.run();
