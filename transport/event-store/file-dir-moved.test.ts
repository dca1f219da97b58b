// The state directory renamed away while the server runs and another made in its place (a
// backup by `mv`, a deploy swapping folders), or a log replaced at its path (faults31). The
// open log kept appending into the file now elsewhere, nothing was said, a replay (which opens
// the log by its path) failed with a bare ENOENT, and a restart on the directory lost the
// session. Now the path is checked with the open handle (log-relink.ts): the log is written
// anew at its path from the open file, told once through onError, and every event replays.
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage, McpError } from '../../protocol/index.ts';
import { createFileEventStore } from './file.ts';
import type { EventStore } from './types.ts';

const test = suite('file event store: its directory moved or its log replaced while it runs');
const parents: string[] = [];
test.after(async () => {
  for (const p of parents) await rm(p, { recursive: true, force: true });
});

const note = (n: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: n } });
const key = { sessionId: 'session-1', streamId: 'stream-1' };

async function replayAll(store: EventStore, startId: string): Promise<number[]> {
  const seen: number[] = [];
  await store.replayAfter(startId, (_id, message) => { seen.push((message as unknown as { params: { progress: number } }).params.progress); }, key.sessionId);
  return seen;
}

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
    const parent = await mkdtemp(join(tmpdir(), 'mcpwire-events-moved-'));
    parents.push(parent);
    const dir = join(parent, 'events');
    const errors: McpError[] = [];
    let store = await createFileEventStore({ dir, fsync: 'never', onError: (e) => errors.push(e) });
    const start = await store.openStream(key);
    for (let i = 1; i <= 3; i++) await store.append(key, note(i));
    await change(dir);
    assert.equal(await replayAll(store, start), [1, 2, 3], 'served from the open file, written anew at its path');
    for (let i = 4; i <= 6; i++) await store.append(key, note(i));
    await store.close();
    const told = errors.filter((e) => /while the store ran/.test(e.message));
    assert.is(told.length, 1, errors.map((e) => e.message).join('\n'));
    assert.match(told[0]!.message, how.startsWith('the directory') ? /was moved away/ : /was replaced by another file/);
    assert.match(told[0]!.message, /written anew from the open file, nothing lost/);
    store = await createFileEventStore({ dir, onError: (e) => assert.unreachable(e.message) });
    try {
      assert.equal(await replayAll(store, start), [1, 2, 3, 4, 5, 6]);
    } finally {
      await store.close();
    }
  });
}

test.run();
