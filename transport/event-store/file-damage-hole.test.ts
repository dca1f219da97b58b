// File store recovery (faults27): a damaged *last* event of a stream, which the client had not
// read when the server died. A restarted server that re-runs the stream's call opens it with
// `rerun`: the history before the damage is served and the re-run's events follow it, so the
// client resumes from the last event it read without a gap (before: the whole stream was 410
// and the re-run's result never reached it). The re-run's events take a new epoch's seqs
// (faults31, log-epochs.ts), never the damaged one's: a client that read the damaged event is
// refused for good. Anything else keeps the damage a gap: a stream not re-run, one whose end
// or later events follow the damaged line.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage, McpError } from '../../protocol/index.ts';
import { createFileEventStore } from './file.ts';
import { EPOCH_STRIDE } from './log-epochs.ts';
import { replayOutcome } from './fixtures/replay-outcome.ts';
import type { EventStore } from './types.ts';

const dirs: string[] = [];
const key = { sessionId: 's', streamId: 'p1' };
const note = (i: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: i } });

/** What a replay after `id` gives: `ok` and the progress values, or `refused` and why. */
const outcome = (store: EventStore, id: string): Promise<string> => replayOutcome(store, id, 's');

/**
 * A session whose stream holds progress 1..`events` (4 unless told), the 4th damaged on disk
 * (still JSON, its checksum fails), the stream ended first when `ended`; reopened. Returns the
 * store, the stream's start id, the events' ids and what the store reported.
 */
async function damagedStream(options: { events?: number; ended?: boolean } = {}): Promise<{ store: EventStore; start: string; ids: string[]; errors: McpError[]; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-hole-'));
  dirs.push(dir);
  const first = await createFileEventStore({ dir, onError: (e) => assert.unreachable(e.message) });
  const start = await first.openStream(key);
  const ids: string[] = [];
  for (let i = 1; i <= (options.events ?? 4); i++) ids.push(await first.append(key, note(i)));
  if (options.ended) await first.endStream!(key); // the file store has it
  await first.close();
  const [name] = await readdir(dir);
  const path = join(dir, name!);
  const lines = (await readFile(path, 'utf8')).split('\n');
  const i = lines.findIndex((l) => l.includes('"progress":4'));
  lines[i] = lines[i]!.replace('"progress":4', '"progress":7');
  await writeFile(path, lines.join('\n'));
  const errors: McpError[] = [];
  const store = await createFileEventStore({ dir, onError: (e) => errors.push(e) });
  return { store, start, ids, errors, dir };
}

const test = suite('a damaged last event the client had not read: a re-run fills the hole');

test('opened for a re-run: the history before it is served, the re-run follows under new seqs, a resume before it gets it once', async () => {
  const { store, start, ids, errors } = await damagedStream();
  assert.is(errors.length, 1, 'the damage is reported');
  assert.match(errors[0]!.message, /event 4 of a stream at byte \d+ is damaged/);
  assert.is(await store.openStream(key, { rerun: true }), ids[2], 'the stream goes on from its last intact event');
  assert.is(await outcome(store, start), 'ok 1,2,3', 'the intact history');
  assert.is(await outcome(store, ids[2]!), 'ok', 'the client that read 3 waits for the re-run');
  assert.is(await outcome(store, ids[3]!), 'refused evicted', 'a client that read the damaged event is not sent it twice');
  const token = ids[0]!.split('.')[0]!;
  const rerun4 = await store.append(key, note(4));
  assert.is(rerun4, `${token}.${3 + EPOCH_STRIDE + 1}`, 'the re-run\'s event takes a new epoch\'s seq, not the damaged one\'s id');
  assert.is(await store.append(key, note(5)), `${token}.${3 + EPOCH_STRIDE + 2}`);
  assert.is(await outcome(store, ids[2]!), 'ok 4,5', 'no gap');
  assert.is(await outcome(store, ids[3]!), 'refused evicted', 'the damaged event\'s id names no event of the re-run: refused for good');
  assert.is(await outcome(store, rerun4), 'ok 5');
  assert.is(await outcome(store, start), 'ok 1,2,3,4,5');
  await store.close();
});

test('the filled hole survives a restart: the log is read back whole', async () => {
  const { store, start, dir } = await damagedStream();
  await store.openStream(key, { rerun: true });
  await store.append(key, note(4));
  await store.close();
  const errors: McpError[] = [];
  const again = await createFileEventStore({ dir, onError: (e) => errors.push(e) });
  assert.is(await outcome(again, start), 'ok 1,2,3,4', 'the damaged copy is passed over, the new event served');
  assert.is(errors.length, 1, 'the damaged line (still in the file) is reported again');
  await again.close();
});

test('not opened for a re-run: the damage stays a gap (410 from before it), the next event takes a new seq', async () => {
  const { store, start, ids } = await damagedStream();
  await store.openStream(key); // a stream carried on without its call re-run
  assert.is(await outcome(store, start), 'refused evicted');
  assert.is(await outcome(store, ids[2]!), 'refused evicted', 'the client that missed it hears of the gap');
  assert.is(await outcome(store, ids[3]!), 'ok', 'a client that read it is not told "never issued"');
  assert.is(Number((await store.append(key, note(9))).split('.')[1]), 4 + EPOCH_STRIDE + 1, 'the damaged seq is not issued again, nor the next (a new epoch)');
  assert.is(await outcome(store, ids[2]!), 'refused evicted');
  assert.is(await outcome(store, ids[3]!), 'ok 9');
  await store.close();
});

test('an end record after the damaged event: the stream ended, so the damage is a gap even for a re-run', async () => {
  const { store, start } = await damagedStream({ ended: true });
  await store.openStream(key, { rerun: true });
  assert.is(await outcome(store, start), 'refused evicted');
  await store.close();
});

test('a later event of the stream after the damaged one: a gap, reported once', async () => {
  const { store, start, ids, errors } = await damagedStream({ events: 5 });
  assert.is(errors.length, 1);
  assert.not.match(errors[0]!.message, /missing/, 'the damaged event is not reported again as missing');
  await store.openStream(key, { rerun: true });
  assert.is(await outcome(store, start), 'refused evicted', 'the hole is in the middle: no re-run fills it');
  assert.is(await outcome(store, ids[3]!), 'ok 5');
  await store.close();
});

test.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

test.run();
