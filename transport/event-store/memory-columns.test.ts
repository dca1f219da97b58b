import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { createMemoryEventStore } from './memory.ts';
import type { EventStore } from './types.ts';

// The memory store keeps its streams in columns by slot (memory-streams.ts): a one-event
// stream keeps its event as a bare string, a session's slots are an array while few and a Map
// past eight, and a slot is reused after its stream is dropped. These are the seams of that
// layout: each must behave as the object-per-stream store did.
const columns = suite('memory store columns');

const msg = (n: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: n } });

async function replay(store: EventStore, id: string, sessionId?: string): Promise<number[] | string> {
  const seen: number[] = [];
  try {
    await store.replayAfter(id, (_id, m) => { seen.push((m as unknown as { params: { data: number } }).params.data); }, sessionId);
    return seen;
  } catch (error) {
    return (error as { reason?: string }).reason ?? String(error);
  }
}

columns('a one-event stream replays from its start, and nothing after its event', async () => {
  const store = createMemoryEventStore();
  const key = { sessionId: 's', streamId: 'p1' };
  const start = await store.openStream(key);
  const first = await store.append(key, msg(1));
  assert.equal(await replay(store, start), [1]);
  assert.equal(await replay(store, first), []);
  const second = await store.append(key, msg(2));
  assert.equal(await replay(store, start), [1, 2]);
  assert.equal(await replay(store, first), [2]);
  assert.equal(await replay(store, second), []);
});

columns('maxEventsPerStream 1: the one event is replaced, and the start reports evicted', async () => {
  const store = createMemoryEventStore({ maxEventsPerStream: 1 });
  const key = { sessionId: 's', streamId: 'p1' };
  const start = await store.openStream(key);
  const first = await store.append(key, msg(1));
  await store.append(key, msg(2));
  const third = await store.append(key, msg(3));
  assert.equal(await replay(store, start), 'evicted');
  assert.equal(await replay(store, first), 'evicted');
  const second = third.replace(/\.3$/, '.2');
  assert.equal(await replay(store, second), [3]);
});

columns('a session past eight streams: each found by key, one evicted, the rest deleted with the session', async () => {
  const store = createMemoryEventStore({ maxStreams: 12 });
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) ids.push(await store.append({ sessionId: 's', streamId: `p${i}` }, msg(i)));
  // Appends by key reach the same streams (the session's Map), not new ones.
  for (let i = 0; i < 12; i++) await store.append({ sessionId: 's', streamId: `p${i}` }, msg(100 + i));
  for (let i = 0; i < 12; i++) assert.equal(await replay(store, ids[i]!), [100 + i], `stream p${i}`);
  // A thirteenth evicts the least recently used (p0: its replay above was the first touch).
  const other = await store.append({ sessionId: 't', streamId: 'p0' }, msg(7));
  assert.equal(await replay(store, ids[0]!), 'evicted');
  await store.deleteSession('s');
  for (let i = 1; i < 12; i++) assert.equal(await replay(store, ids[i]!), 'unknown', `stream p${i} after delete`);
  assert.equal(await replay(store, other, 't'), []);
  // The slots freed are reused, and the new streams answer by their own ids only.
  const fresh: string[] = [];
  for (let i = 0; i < 11; i++) fresh.push(await store.append({ sessionId: 'u', streamId: `q${i}` }, msg(200 + i)));
  for (let i = 0; i < 11; i++) assert.equal(await replay(store, fresh[i]!.replace(/\.1$/, '.0')), [200 + i]);
  assert.equal(await replay(store, ids[5]!), 'unknown');
});

columns('a dropped stream\'s slot, taken by another session, does not answer the old ids', async () => {
  const store = createMemoryEventStore({ maxStreams: 1 });
  const old = await store.append({ sessionId: 'a', streamId: 'p1' }, msg(1));
  const taken = await store.append({ sessionId: 'b', streamId: 'p1' }, msg(2));
  assert.is.not(old.split('.')[0], taken.split('.')[0]);
  assert.equal(await replay(store, old, 'a'), 'evicted');
  assert.equal(await replay(store, old, 'b'), 'wrong-session');
  assert.equal(await replay(store, taken.replace(/\.1$/, '.0'), 'b'), [2]);
});

columns.run();
