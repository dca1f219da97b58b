import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { eventStoreContract } from './contract.ts';
import { formatEventId, parseEventId } from './event-id.ts';
import { createMemoryEventStore } from './memory.ts';
import { ResumeError } from './resume-error.ts';
import type { EventStore } from './types.ts';

const contract = suite('the memory store meets the EventStore contract');
const cases = eventStoreContract(() => createMemoryEventStore(), {
  makeBoundedStore: (maxEventsPerStream) => createMemoryEventStore({ maxEventsPerStream }),
});
for (const c of cases) {
  contract(c.name, c.run);
}

const key = { sessionId: 's', streamId: 'x' };
const note = (i: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'n', params: { i } });

async function reason(store: EventStore, id: string, expectedSessionId?: string): Promise<string> {
  try {
    await store.replayAfter(id, () => {}, expectedSessionId);
  } catch (error) {
    assert.instance(error, ResumeError);
    assert.is((error as ResumeError).code, 'MCP_ERR_RESUME');
    return (error as ResumeError).reason;
  }
  return 'ok';
}

async function count(store: EventStore, id: string): Promise<number> {
  let n = 0;
  await store.replayAfter(id, () => void (n += 1));
  return n;
}

const ttl = suite('the memory store drops streams idle past the TTL (injected clock)');

ttl('an idle stream expires; its ids then report evicted, also to the wrong session', async () => {
  let t = 1_000;
  const store = createMemoryEventStore({ ttlMs: 100, now: () => t });
  const id = await store.append(key, note(1));
  t += 99;
  assert.is(await count(store, id), 0); // touches the stream
  t += 99;
  await store.append({ sessionId: 'other', streamId: 'y' }, note(1));
  assert.is(await reason(store, id), 'ok');
  t += 100;
  assert.is(await reason(store, id, 'someone-else'), 'wrong-session');
  assert.is(await reason(store, id), 'evicted');
  await store.close();
});

ttl('appends and replays keep a stream alive', async () => {
  let t = 0;
  const store = createMemoryEventStore({ ttlMs: 50, now: () => t });
  const first = await store.append(key, note(0));
  for (let i = 1; i <= 10; i++) {
    t += 40;
    await store.append(key, note(i));
  }
  assert.is(await count(store, first), 10);
  await store.close();
});

const limits = suite('the memory store evicts from the head by count and bytes, never replaying in part');

limits('maxBytesPerStream evicts the oldest events', async () => {
  const store = createMemoryEventStore({ maxBytesPerStream: 200 });
  const big = (i: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'n', params: { i, pad: 'é'.repeat(20) } });
  const size = new TextEncoder().encode(JSON.stringify(big(0))).length; // 2 bytes per é
  assert.ok(size > 50 && size < 100, `size ${size}`);
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) ids.push(await store.append(key, big(i)));
  const kept = Math.floor(200 / size);
  assert.is(await reason(store, ids[9 - kept - 1]!), 'evicted');
  assert.is(await count(store, ids[9 - kept]!), kept);
  await store.close();
});

limits('an event larger than maxBytesPerStream is kept alone', async () => {
  const store = createMemoryEventStore({ maxBytesPerStream: 10 });
  const a = await store.append(key, note(1));
  const b = await store.append(key, note(2));
  assert.is(await reason(store, a), 'ok');
  assert.is(await count(store, a), 1);
  assert.is(await count(store, b), 0);
  await store.close();
});

limits('maxEventsPerStream over many evictions (head compaction) keeps the right window', async () => {
  const store = createMemoryEventStore({ maxEventsPerStream: 100 });
  const ids: string[] = [];
  for (let i = 0; i < 5_000; i++) ids.push(await store.append(key, note(i)));
  assert.is(await reason(store, ids[4_898]!), 'evicted');
  const got: number[] = [];
  await store.replayAfter(ids[4_899]!, (_id, m) => void got.push((m as unknown as { params: { i: number } }).params.i));
  assert.equal(got, Array.from({ length: 100 }, (_, i) => 4_900 + i));
  await store.close();
});

limits('maxStreams drops the least recently used stream', async () => {
  const store = createMemoryEventStore({ maxStreams: 2 });
  const a = await store.append({ sessionId: 's', streamId: 'a' }, note(1));
  const b = await store.append({ sessionId: 's', streamId: 'b' }, note(1));
  await store.append({ sessionId: 's', streamId: 'a' }, note(2)); // a is now the most recent
  await store.append({ sessionId: 's', streamId: 'c' }, note(1));
  assert.is(await reason(store, b), 'evicted');
  assert.is(await count(store, a), 1);
  await store.close();
});

limits('a stream evicted long ago (its tombstone gone too) is still refused as evicted (410), not unknown', async () => {
  const store = createMemoryEventStore({ maxStreams: 2 });
  const first = await store.append({ sessionId: 's', streamId: 'p0' }, note(1));
  // Far more evictions than tombstones are kept (maxStreams of them).
  for (let i = 1; i <= 50; i++) await store.append({ sessionId: 's', streamId: `p${i}` }, note(1));
  let outcome = 'ok';
  await store.replayAfter(first, () => {}, 's').catch((e: { reason?: string }) => { outcome = String(e.reason); });
  assert.is(outcome, 'evicted');
  // The same id presented for another session says nothing about the stream: unknown.
  await store.replayAfter(first, () => {}, 'other').catch((e: { reason?: string }) => { outcome = String(e.reason); });
  assert.is(outcome, 'unknown');
  await store.close();
});

limits('maxStreams above 16 777 216 is refused when the store is made (a token carries its slot in 3 bytes)', () => {
  assert.throws(() => createMemoryEventStore({ maxStreams: 2 ** 24 + 1 }), (e: Error) => e instanceof RangeError && /at most 16777216/.test(e.message));
  createMemoryEventStore({ maxStreams: 2 ** 24 }); // the bound itself is accepted
});

const ids = suite('the memory store refuses ids it never issued');

ids("an evicted stream's id never resolves to the stream that took its slot, nor does a forged token of a live slot", async () => {
  const store = createMemoryEventStore({ maxStreams: 1 });
  const old = await store.append({ sessionId: 's', streamId: 'a' }, note(1));
  const now = await store.append({ sessionId: 's', streamId: 'b' }, note(2)); // evicts a, takes its slot
  assert.is(old.slice(0, 4), now.slice(0, 4), "the new stream has the evicted one's slot");
  assert.is(await reason(store, old, 's'), 'evicted');
  assert.is(await reason(store, old), 'evicted');
  // Same slot (first 4 characters), other random bytes: not this store's stream.
  const token = parseEventId(now)!.token;
  const forged = formatEventId(token.slice(0, 4) + (token[4] === 'A' ? 'B' : 'A') + token.slice(5), 0);
  assert.is(await reason(store, forged), 'unknown');
  assert.is(await count(store, formatEventId(token, 0)), 1);
  await store.close();
});

ids('a seq beyond the stream end is unknown, a bad token is unknown', async () => {
  const store = createMemoryEventStore();
  const id = await store.append(key, note(1));
  const parsed = parseEventId(id)!;
  assert.ok(parsed);
  assert.is(parsed.seq, 1);
  assert.is(await reason(store, formatEventId(parsed.token, 2)), 'unknown');
  const flipped = (parsed.token[0] === 'A' ? 'B' : 'A') + parsed.token.slice(1);
  assert.is(await reason(store, formatEventId(flipped, 1)), 'unknown');
  assert.is(await reason(store, `${parsed.token}.01`), 'malformed');
  assert.is(await reason(store, `${parsed.token}.99999999999999999`), 'malformed');
  await store.close();
});

ids('a message that cannot be serialized is refused with MCP_ERR_STORE', async () => {
  const store = createMemoryEventStore();
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  try {
    await store.append(key, { jsonrpc: '2.0', method: 'n', params: cyclic });
    assert.unreachable('appended');
  } catch (error) {
    assert.is((error as { code?: string }).code, 'MCP_ERR_STORE');
  }
  await store.close();
});

const many = suite('the memory store keeps the streams of a session apart however many it has');

many('twenty streams of one session (past the short list) replay their own events; deleteSession drops every one', async () => {
  const store = createMemoryEventStore();
  const starts: string[] = [];
  for (let s = 0; s < 20; s++) starts.push(await store.openStream({ sessionId: 's', streamId: `p${s}` }));
  const other = await store.append({ sessionId: 't', streamId: 'p0' }, note(-1));
  for (let round = 0; round < 2; round++) {
    for (let s = 19; s >= 0; s--) await store.append({ sessionId: 's', streamId: `p${s}` }, note(s * 10 + round));
  }
  for (let s = 0; s < 20; s++) {
    const got: number[] = [];
    const streamKey = await store.replayAfter(starts[s]!, (_id, m) => void got.push((m as unknown as { params: { i: number } }).params.i), 's');
    assert.equal(streamKey, { sessionId: 's', streamId: `p${s}` });
    assert.equal(got, [s * 10, s * 10 + 1]);
  }
  await store.deleteSession('s');
  for (const start of starts) assert.is(await reason(store, start), 'unknown');
  assert.is(await reason(store, other), 'ok');
  // The session starts afresh: a stream of the same name is a new stream.
  const again = await store.openStream({ sessionId: 's', streamId: 'p3' });
  assert.is.not(again, starts[3]);
  assert.is(await count(store, again), 0);
  await store.close();
});

many('maxStreams evicts streams of a large session one by one; the session keeps the rest', async () => {
  const store = createMemoryEventStore({ maxStreams: 12 });
  const ids: string[] = [];
  for (let s = 0; s < 15; s++) ids.push(await store.append({ sessionId: 's', streamId: `p${s}` }, note(s)));
  for (let s = 0; s < 3; s++) assert.is(await reason(store, ids[s]!), 'evicted');
  for (let s = 3; s < 15; s++) assert.is(await reason(store, ids[s]!), 'ok');
  await store.append({ sessionId: 's', streamId: 'p14' }, note(99));
  assert.is(await count(store, ids[14]!), 1);
  await store.close();
});

const shared = suite('the memory store keeps equal texts of sessions apart');

shared('equal first events and metadata of two sessions replay and load as each was stored', async () => {
  const store = createMemoryEventStore();
  const a = await store.openStream({ sessionId: 'a', streamId: 'p1' });
  const b = await store.openStream({ sessionId: 'b', streamId: 'p1' });
  await store.append({ sessionId: 'a', streamId: 'p1' }, note(1));
  await store.append({ sessionId: 'b', streamId: 'p1' }, note(1));
  await store.append({ sessionId: 'b', streamId: 'p1' }, note(2));
  await store.saveSession('a', { protocolVersion: '2025-11-25' });
  await store.saveSession('b', { protocolVersion: '2025-11-25' });
  await store.saveSession('a', { protocolVersion: '2025-06-18' });
  const heard = (id: string) => {
    const got: unknown[] = [];
    return store.replayAfter(id, (_id, message) => void got.push(message)).then(() => got);
  };
  assert.equal(await heard(a), [note(1)]);
  assert.equal(await heard(b), [note(1), note(2)]);
  const loaded = Object.fromEntries((await store.loadSessions()).map((s) => [s.sessionId, s.meta]));
  assert.equal(loaded, { a: { protocolVersion: '2025-06-18' }, b: { protocolVersion: '2025-11-25' } });
  await store.close();
});

contract.run();
shared.run();
ttl.run();
limits.run();
ids.run();
many.run();
