// File store (faults31): a stream read back from its log goes on under a new epoch of seqs
// (log-epochs.ts). A power loss under fsync 'interval' loses the log's tail, whose ids had gone
// out; before, the restarted server's events (a re-run) took those same seqs again, so a client
// holding a lost id resumed into the middle of the re-run and passed over what it asked first.
// 2025-11-25 basic/transports (resumability): an event id names one event of its stream.
import { mkdtemp, readdir, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { createFileEventStore, type FileEventStoreOptions } from './file.ts';
import { replayOutcome } from './fixtures/replay-outcome.ts';
import type { SessionEventStore } from './types.ts';

const test = suite('a stream read back from its log takes new seqs: no id a previous process sent names another event');
const dirs: string[] = [];
const key = { sessionId: 's', streamId: 'p1' };
const quiet = { onError: (e: Error) => assert.unreachable(e.message) };
const note = (i: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: i } });

/** What a replay after `id` gives: `ok` and the progress values, or `refused` and why. */
const outcome = (store: SessionEventStore, id: string): Promise<string> => replayOutcome(store, id, 's');

/** Cut the store's one log after its last line that `keep` matches (a power loss at a line boundary). */
async function cutAfter(dir: string, keep: (line: string) => boolean): Promise<void> {
  const [name] = (await readdir(dir)).filter((n) => n.endsWith('.log'));
  const path = join(dir, name!);
  const lines = (await readFile(path, 'utf8')).split('\n');
  let last = -1;
  lines.forEach((l, i) => { if (keep(l)) last = i; });
  assert.ok(last >= 0, 'the line to cut after is in the log');
  await truncate(path, Buffer.byteLength(lines.slice(0, last + 1).join('\n') + '\n'));
}

async function open(dir: string, options: Partial<FileEventStoreOptions> = {}): Promise<SessionEventStore> {
  return createFileEventStore({ dir, ...quiet, ...options });
}

/** A stream of progress 1..4 whose log lost events 3 and 4; reopened, opened for a re-run. */
async function lostTail(options: Partial<FileEventStoreOptions> = {}): Promise<{ dir: string; start: string; ids: string[]; store: SessionEventStore }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-epoch-'));
  dirs.push(dir);
  const first = await open(dir, options);
  const start = await first.openStream(key);
  const ids: string[] = [];
  for (let i = 1; i <= 4; i++) ids.push(await first.append(key, note(i)));
  await first.close();
  await cutAfter(dir, (l) => l.includes('"progress":2'));
  const store = await open(dir, options);
  await store.openStream(key, { rerun: true });
  return { dir, start, ids, store };
}

test('the re-run\'s events take none of the lost ids; a lost id stays refused once the re-run passes it', async () => {
  const { start, ids, store } = await lostTail();
  // The re-run asks something else than the first run did after event 2.
  const rerun = [await store.append(key, note(30)), await store.append(key, note(40)), await store.append(key, note(50))];
  for (const id of rerun) assert.not.ok(ids.includes(id), `${id} was an id of the first process`);
  assert.is(await outcome(store, ids[3]!), 'refused evicted', 'the client holding lost event 4 does not skip the re-run\'s first events');
  assert.is(await outcome(store, ids[2]!), 'refused evicted');
  assert.is(await outcome(store, ids[1]!), 'ok 30,40,50', 'the client that read event 2 gets the whole re-run');
  assert.is(await outcome(store, start), 'ok 1,2,30,40,50');
  assert.is(await outcome(store, rerun[0]!), 'ok 40,50');
  assert.is(await store.openStream(key), rerun[2], 'the stream\'s end is its last event\'s id');
  await store.close();
});

test('the epoch survives a restart and a compaction: the ids stay as they were', async () => {
  const { dir, start, ids, store } = await lostTail({ compactAfterBytes: 1 });
  const rerun = [await store.append(key, note(30)), await store.append(key, note(40))];
  await store.close();
  const again = await open(dir, { compactAfterBytes: 1 });
  assert.is(await outcome(again, start), 'ok 1,2,30,40');
  assert.is(await outcome(again, ids[3]!), 'refused evicted');
  assert.is(await outcome(again, rerun[0]!), 'ok 40');
  const third = await again.append(key, note(60));
  for (const id of [...ids, ...rerun]) assert.is.not(third, id);
  assert.is(await outcome(again, rerun[1]!), 'ok 60', 'a second epoch follows the first without a gap');
  await again.close();
});

test('the epoch\'s own events lost too (a second power loss): the next epoch takes none of its ids', async () => {
  const { dir, ids, store } = await lostTail();
  const second = [await store.append(key, note(30)), await store.append(key, note(40))];
  await store.close();
  // The epoch's record was synced before its first id went out; its events were not.
  await cutAfter(dir, (l) => l.includes('"t":"j"'));
  const again = await open(dir);
  await again.openStream(key, { rerun: true });
  const third = [await again.append(key, note(300)), await again.append(key, note(400))];
  for (const id of third) assert.not.ok([...ids, ...second].includes(id), `${id} was sent by an earlier process`);
  assert.is(await outcome(again, second[0]!), 'refused evicted', 'the second process\'s lost ids stay refused');
  assert.is(await outcome(again, ids[1]!), 'ok 300,400');
  await again.close();
});

test.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

test.run();
