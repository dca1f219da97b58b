// The memory store's bound on the bytes it keeps in all (maxBytes). The per-stream bounds
// alone let many streams add up: 200 calls whose clients read nothing held ~500 MB of
// history in `mcpwire serve` (lead, session 13).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { createMemoryEventStore } from './memory.ts';
import { ResumeError } from './resume-error.ts';
import type { EventStore } from './types.ts';

const KB = 'x'.repeat(1000);
/** A message of a little over 1 KB serialized. */
const note = (i: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'n', params: { i, pad: KB } });

async function replayed(store: EventStore, id: string): Promise<number | string> {
  let n = 0;
  try {
    await store.replayAfter(id, () => void (n += 1));
  } catch (error) {
    assert.instance(error, ResumeError);
    return (error as ResumeError).reason;
  }
  return n;
}

const total = suite('the memory store: bytes kept in all');

total('past maxBytes, the least recently used streams go first and a resume of one is told evicted', async () => {
  const store = createMemoryEventStore({ maxBytes: 50_000 });
  const starts: string[] = [];
  for (let s = 0; s < 10; s++) {
    const key = { sessionId: 'a', streamId: `s${s}` };
    starts.push(await store.openStream(key));
    for (let i = 0; i < 10; i++) await store.append(key, note(i)); // ~10 KB a stream
  }
  // ~100 KB appended in all against a 50 KB bound: the first streams are gone, the last kept whole.
  assert.is(await replayed(store, starts[0]!), 'evicted');
  assert.is(await replayed(store, starts[9]!), 10);
  let kept = 0;
  for (const start of starts) if (typeof (await replayed(store, start)) === 'number') kept++;
  assert.ok(kept >= 3 && kept <= 5, `about 50 KB of 10 KB streams kept, got ${kept}`);
});

total('one stream over maxBytes loses its oldest events, never its newest', async () => {
  const store = createMemoryEventStore({ maxBytes: 5_000 });
  const key = { sessionId: 'a', streamId: 'one' };
  const start = await store.openStream(key);
  let last = '';
  for (let i = 0; i < 20; i++) last = await store.append(key, note(i));
  assert.is(await replayed(store, start), 'evicted', 'the start of the stream is gone');
  const ids: string[] = [];
  await store.replayAfter(start.replace(/\.0$/, '.18'), (id) => void ids.push(id));
  assert.equal(ids.length, 2);
  assert.is(ids.at(-1), last);
  // A single event over the bound is still kept (as maxBytesPerStream keeps its newest).
  const big = { sessionId: 'a', streamId: 'big' };
  const bigStart = await store.openStream(big);
  await store.append(big, { jsonrpc: '2.0', method: 'n', params: { pad: 'y'.repeat(10_000) } });
  assert.is(await replayed(store, bigStart), 1);
});

total('streams dropped for other reasons give their bytes back (session deleted)', async () => {
  const store = createMemoryEventStore({ maxBytes: 30_000 });
  const first = { sessionId: 'gone', streamId: 'x' };
  await store.openStream(first);
  for (let i = 0; i < 20; i++) await store.append(first, note(i)); // ~20 KB
  await store.deleteSession('gone');
  const key = { sessionId: 'b', streamId: 'y' };
  const start = await store.openStream(key);
  for (let i = 0; i < 25; i++) await store.append(key, note(i)); // ~25 KB: fits once the deleted session's bytes are back
  assert.is(await replayed(store, start), 25);
});

total.run();
