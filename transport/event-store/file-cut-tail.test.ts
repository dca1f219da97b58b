// File store: a log whose tail was lost at a line boundary, as a power loss leaves it under
// the default fsync 'interval' (appends whose ids were already sent, never synced), or a file
// cut short. 2025-11-25 basic/transports (resumability): a resume the history cannot serve in
// full is refused as a gap (410, 'evicted'), never answered "not issued" (400) or "nothing
// more" (204), which would hide the loss from the client.
import { mkdtemp, readdir, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { createFileEventStore } from './file.ts';
import type { SessionEventStore } from './types.ts';

const test = suite('a log cut at a line boundary (a power loss under fsync interval)');
const dirs: string[] = [];
const key = { sessionId: 's', streamId: 'p1' };
const quiet = { onError: (e: Error) => assert.unreachable(e.message) };

const note = (i: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: i } });

async function outcome(store: SessionEventStore, id: string): Promise<string> {
  let seen = 0;
  try {
    await store.replayAfter(id, () => void seen++, 's');
    return `ok ${seen}`;
  } catch (error) {
    const e = error as { code?: string; reason?: string; message: string };
    return e.code === 'MCP_ERR_RESUME' ? `refused ${e.reason}` : `error ${e.code}: ${e.message}`;
  }
}

/** A stream of 4 events (ended when `end`), the store closed, and the log cut after the line holding `keep`. */
async function cutLog(keep: string | ((line: string) => boolean), end = false): Promise<{ dir: string; start: string; ids: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-cut-'));
  dirs.push(dir);
  const store = await createFileEventStore({ dir, ...quiet });
  const start = await store.openStream(key);
  const ids: string[] = [];
  for (let i = 1; i <= 4; i++) ids.push(await store.append(key, note(i)));
  if (end) await store.endStream!(key);
  await store.close();
  const [name] = await readdir(dir);
  const path = join(dir, name!);
  const lines = (await readFile(path, 'utf8')).split('\n');
  const matches = typeof keep === 'string' ? (l: string) => l.includes(keep) : keep;
  const last = lines.findIndex(matches);
  assert.ok(last >= 0, 'the line to cut after is in the log');
  await truncate(path, Buffer.byteLength(lines.slice(0, last + 1).join('\n') + '\n'));
  return { dir, start, ids };
}

test('ids past the kept end were issued: refused as a gap (410), not as "never issued" (400)', async () => {
  const { dir, ids } = await cutLog('"progress":2');
  const store = await createFileEventStore({ dir, ...quiet }); // a cut at a line boundary is no damage to report
  assert.is(await outcome(store, ids[2]!), 'refused evicted', 'the third event was sent, then lost');
  assert.is(await outcome(store, ids[3]!), 'refused evicted');
  const refusal = await store.replayAfter(ids[3]!, () => {}, 's').then(() => '', (e: Error) => e.message);
  assert.match(refusal, /lost from the log \(the stream's history ends at event 2\)/);
  assert.is(await outcome(store, ids[0]!), 'ok 1', 'what is kept after an id is still served');
  await store.close();
});

test('a resume from the kept end of a stream with no end record is a gap (410), not "nothing more" (204)', async () => {
  const { dir, ids } = await cutLog('"progress":2');
  const store = await createFileEventStore({ dir, ...quiet });
  assert.is(await outcome(store, ids[1]!), 'refused evicted');
  await store.close();
});

test('a stream whose cut tail held every event: a resume from its start is a gap (410)', async () => {
  const { dir, start, ids } = await cutLog((l) => l.includes('"t":"s"'));
  const store = await createFileEventStore({ dir, ...quiet });
  assert.is(await outcome(store, start), 'refused evicted');
  assert.is(await outcome(store, ids[0]!), 'refused evicted');
  await store.close();
});

test('a stream that ended in the log still answers "nothing more" at its end', async () => {
  const { dir, ids } = await cutLog('"t":"x"', true);
  const store = await createFileEventStore({ dir, ...quiet });
  assert.is(await outcome(store, ids[3]!), 'ok 0');
  assert.is(await outcome(store, ids[1]!), 'ok 2');
  await store.close();
});

test('a stream opened or ended again after the restart is not taken for cut', async () => {
  const { dir, ids } = await cutLog('"progress":2');
  const store = await createFileEventStore({ dir, ...quiet });
  await store.openStream(key, { rerun: true }); // a restarted server re-runs its call
  assert.is(await outcome(store, ids[1]!), 'ok 0', 'the re-run carries the stream on');
  const next = await store.append(key, note(5));
  assert.is(await outcome(store, ids[1]!), 'ok 1');
  await store.endStream!(key);
  assert.is(await outcome(store, next), 'ok 0');
  await store.close();
});

test('an id past the end of a stream this process made is still "never issued" (forged)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-cut-'));
  dirs.push(dir);
  const store = await createFileEventStore({ dir, ...quiet });
  const start = await store.openStream(key);
  await store.append(key, note(1));
  assert.is(await outcome(store, start.replace(/\.0$/, '.5')), 'refused unknown');
  await store.close();
});

test.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

test.run();
