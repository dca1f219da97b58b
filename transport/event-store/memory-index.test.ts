import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { createMemoryEventStore } from './memory.ts';
import { StreamIndex } from './memory-index.ts';
import type { EventStore, StreamKey } from './types.ts';

// The memory store finds a stream by key through one hash table of slots (memory-index.ts):
// a session has a number reused once its last stream is gone, keys share buckets, chains and
// a session's list run through columns by slot. These are that layout's seams.
const index = suite('memory store index');

const msg = (n: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: n } });
const tokenOf = (id: string): string => id.split('.')[0]!;

async function replay(store: EventStore, id: string, sessionId?: string): Promise<number[] | string> {
  const seen: number[] = [];
  try {
    await store.replayAfter(id, (_id, m) => { seen.push((m as unknown as { params: { data: number } }).params.data); }, sessionId);
    return seen;
  } catch (error) {
    return (error as { reason?: string }).reason ?? String(error);
  }
}

/** Append `n` by `key`, and check it reached the stream of `first` (same token, next seq). */
async function appendTo(store: EventStore, key: StreamKey, first: string, n: number, seq: number): Promise<void> {
  const id = await store.append(key, msg(n));
  assert.is(tokenOf(id), tokenOf(first), `${key.sessionId}/${key.streamId} reached another stream`);
  assert.is(id.split('.')[1], String(seq));
}

index('300 sessions with the same three stream ids, across the table\'s growth: every key reaches its own stream', async () => {
  const store = createMemoryEventStore();
  const firsts = new Map<string, string>();
  for (let s = 0; s < 300; s++) for (let p = 0; p < 3; p++) firsts.set(`${s}/${p}`, await store.append({ sessionId: `s${s}`, streamId: `p${p}` }, msg(10 * s + p)));
  for (let s = 0; s < 300; s++) {
    for (let p = 0; p < 3; p++) {
      const first = firsts.get(`${s}/${p}`)!;
      await appendTo(store, { sessionId: `s${s}`, streamId: `p${p}` }, first, -(10 * s + p), 2);
      assert.equal(await replay(store, first.replace(/\.1$/, '.0'), `s${s}`), [10 * s + p, -(10 * s + p)]);
    }
  }
});

index('a session\'s number taken by another after its last stream was evicted: neither key reaches the other\'s stream', async () => {
  const store = createMemoryEventStore({ maxStreams: 2 });
  const a = { sessionId: 'a', streamId: 'p1' };
  const b = { sessionId: 'b', streamId: 'p1' };
  const oldA = await store.append(a, msg(1));
  const filler = await store.append({ sessionId: 'c', streamId: 'x' }, msg(2));
  // b's stream evicts a's (the oldest), and takes a's slot and session number: its key hashes as a's did.
  const firstB = await store.append(b, msg(3));
  assert.is(await replay(store, oldA, 'a'), 'evicted');
  assert.is(await replay(store, oldA, 'b'), 'wrong-session');
  // a's key now makes a new stream (evicting c's), not an append to b's.
  const newA = await store.append(a, msg(4));
  assert.is.not(tokenOf(newA), tokenOf(firstB));
  assert.is(newA.split('.')[1], '1');
  assert.is(await replay(store, filler, 'c'), 'evicted');
  await appendTo(store, b, firstB, 5, 2);
  assert.equal(await replay(store, firstB.replace(/\.1$/, '.0'), 'b'), [3, 5]);
  assert.equal(await replay(store, newA.replace(/\.1$/, '.0'), 'a'), [4]);
});

index('streams evicted from the middle of their sessions\' lists and chains: the others are still found by key', async () => {
  const store = createMemoryEventStore({ maxStreams: 90 });
  const keys: StreamKey[] = [];
  const firsts: string[] = [];
  for (let i = 0; i < 90; i++) {
    keys.push({ sessionId: `s${i % 3}`, streamId: `p${Math.floor(i / 3)}` });
    firsts.push(await store.append(keys[i]!, msg(i)));
  }
  // Touch the even ones (a replay moves a stream to the newest end), then 45 new streams evict the odd ones.
  for (let i = 0; i < 90; i += 2) assert.equal(await replay(store, firsts[i]!), []);
  for (let i = 0; i < 45; i++) await store.append({ sessionId: 'new', streamId: `q${i}` }, msg(1000 + i));
  for (let i = 0; i < 90; i++) {
    if (i % 2 === 0) await appendTo(store, keys[i]!, firsts[i]!, -i, 2);
    else assert.is(await replay(store, firsts[i]!, keys[i]!.sessionId), 'evicted', `stream ${i}`);
  }
});

index('the old token of a slot resumed while the slot holds a new stream of the same key: evicted, and the key finds the new one', async () => {
  const store = createMemoryEventStore({ maxStreams: 1 });
  const key = { sessionId: 's', streamId: 'p1' };
  const old = await store.append(key, msg(1));
  await store.append({ sessionId: 't', streamId: 'p1' }, msg(2)); // evicts s/p1, takes slot 0
  const fresh = await store.append(key, msg(3)); // evicts t/p1, takes slot 0 again, same key as `old`
  assert.is(tokenOf(old).slice(0, 4), tokenOf(fresh).slice(0, 4), 'both carry slot 0');
  assert.is.not(tokenOf(old), tokenOf(fresh));
  assert.is(await replay(store, old, 's'), 'evicted');
  assert.is(await replay(store, `${tokenOf(old)}.0`, 's'), 'evicted');
  await appendTo(store, key, fresh, 4, 2);
  assert.equal(await replay(store, fresh.replace(/\.1$/, '.0'), 's'), [3, 4]);
});

index('appends after the end, by key, among colliding keys of other sessions', async () => {
  const store = createMemoryEventStore();
  const firsts: string[] = [];
  for (let s = 0; s < 100; s++) {
    const key = { sessionId: `s${s}`, streamId: 'p1' };
    firsts.push(await store.append(key, msg(s)));
    await store.endStream!(key);
  }
  for (let s = 99; s >= 0; s--) await appendTo(store, { sessionId: `s${s}`, streamId: 'p1' }, firsts[s]!, 1000 + s, 2);
  for (let s = 0; s < 100; s++) assert.equal(await replay(store, firsts[s]!, `s${s}`), [1000 + s]);
});

index('deleteSession of one of two sessions with 200 equal stream ids: the other keeps all of its, the deleted keys start anew', async () => {
  const store = createMemoryEventStore({ maxStreams: 1000 });
  const firstA: string[] = [];
  const firstB: string[] = [];
  for (let i = 0; i < 200; i++) {
    firstA.push(await store.append({ sessionId: 'a', streamId: `p${i}` }, msg(i)));
    firstB.push(await store.append({ sessionId: 'b', streamId: `p${i}` }, msg(-i)));
    if (i % 2 === 0) await store.endStream!({ sessionId: 'a', streamId: `p${i}` });
  }
  await store.deleteSession('a');
  for (let i = 0; i < 200; i++) {
    assert.is(await replay(store, firstA[i]!), 'unknown');
    await appendTo(store, { sessionId: 'b', streamId: `p${i}` }, firstB[i]!, 500 + i, 2);
  }
  // a's keys make new streams in the freed slots, found by key and by their own ids only.
  for (let i = 0; i < 200; i++) {
    const id = await store.append({ sessionId: 'a', streamId: `p${i}` }, msg(700 + i));
    assert.is(id.split('.')[1], '1');
    assert.equal(await replay(store, id.replace(/\.1$/, '.0'), 'a'), [700 + i]);
    assert.is(await replay(store, firstA[i]!), 'unknown');
  }
  await store.deleteSession('b');
  for (let i = 0; i < 200; i++) assert.is(await replay(store, firstB[i]!), 'unknown');
  await store.deleteSession('nobody');
});

// The index remembers the key `find` last missed (its session's number and hash) for the `add`
// that follows. Between the two, an eviction can take the session's last stream and free its
// number: the add must give the session a number again, and another session must not share it.
index('a miss remembered for add: not reused once its session\'s number was freed', () => {
  const ix = new StreamIndex();
  const ids: Array<string | undefined> = [];
  ix.add(0, 'A', 'p1');
  ids[0] = 'p1';
  assert.is(ix.find('A', 'p2', ids), -1);
  ix.remove(0, 'A'); // A's last stream: its number is free
  ids[0] = undefined;
  ix.add(2, 'A', 'p2'); // the key missed above
  ids[2] = 'p2';
  ix.add(1, 'B', 'q1');
  ids[1] = 'q1';
  assert.is(ix.find('A', 'p2', ids), 2);
  assert.is(ix.find('B', 'q1', ids), 1);
  assert.equal(ix.slotsOf('A'), [2]);
  assert.equal(ix.slotsOf('B'), [1]);
  ix.remove(1, 'B');
  assert.is(ix.find('A', 'p2', ids), 2, 'B gone: A\'s stream stays');
});

index('maxStreams 1: a session\'s new stream evicts its only one between the lookup and the add, and is found after', async () => {
  const store = createMemoryEventStore({ maxStreams: 1 });
  const first = await store.append({ sessionId: 'A', streamId: 'p1' }, msg(1));
  for (let p = 2; p < 6; p++) {
    const key = { sessionId: 'A', streamId: `p${p}` };
    const start = await store.openStream(key);
    await appendTo(store, { ...key }, start, p, 1); // another key object: found by the index, not the last-key shortcut
    assert.equal(await replay(store, start, 'A'), [p]);
    assert.equal(await store.replayAfter(start, () => undefined, 'A'), key);
  }
  assert.is(await replay(store, first, 'A'), 'evicted');
});

index.run();
