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

/** The `data` of each event replayed (numbers of `msg`, strings of `text`), or why the replay was refused. */
async function replay(store: EventStore, id: string, sessionId?: string): Promise<Array<number | string> | string> {
  const seen: Array<number | string> = [];
  try {
    await store.replayAfter(id, (_id, m) => { seen.push((m as unknown as { params: { data: number | string } }).params.data); }, sessionId);
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

// A stream's token is kept as 16 bytes (its text only while the stream is open) and tombstones
// as bytes: ends, appends after the end, slot reuse and deletion around them.
const text = (t: string): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: t } });

columns('an ended stream answers its ids, and appends after the end carry the same token', async () => {
  const store = createMemoryEventStore();
  const key = { sessionId: 's', streamId: 'p1' };
  const start = await store.openStream(key);
  const first = await store.append(key, msg(1));
  await store.endStream!(key);
  assert.equal(await replay(store, start, 's'), [1]);
  const second = await store.append(key, msg(2));
  assert.is(second.split('.')[0], first.split('.')[0]);
  assert.is(second.split('.')[1], '2');
  assert.equal(await replay(store, start, 's'), [1, 2]);
  assert.equal(await replay(store, first, 's'), [2]);
  assert.equal(await replay(store, start, 'other'), 'wrong-session');
});

columns('a token of zero bytes, or one differing in its last character, is not the stream in that slot', async () => {
  const store = createMemoryEventStore({ maxStreams: 4 });
  const id = await store.append({ sessionId: 's', streamId: 'p1' }, msg(1));
  const token = id.split('.')[0]!;
  // A non-canonical spelling of the same 16 bytes (the last character's low bits set) is another token.
  const twin = token.slice(0, -1) + String.fromCharCode(token.charCodeAt(21) + 1); // A Q g w -> B R h x
  assert.is(await replay(store, `${twin}.0`), 'unknown');
  await store.deleteSession('s');
  // Slot 0 is free now, its bytes stale or zero: neither its old token nor zeros resolve.
  assert.is(await replay(store, `${'A'.repeat(22)}.0`), 'unknown');
  assert.is(await replay(store, `${token}.0`), 'unknown');
});

columns('tombstones as bytes: an evicted token is told evicted, or wrong-session to another session, after its slot was reused', async () => {
  const store = createMemoryEventStore({ maxStreams: 2 });
  const old: string[] = [];
  for (let i = 0; i < 6; i++) old.push(await store.append({ sessionId: `s${i % 3}`, streamId: `p${i}` }, msg(i)));
  // Streams 0..3 were evicted; their slots (0 and 1) now hold streams 4 and 5. Tombstones
  // of the last two (2 and 3) are kept; 0 and 1 are told evicted by their token's tag only.
  for (let i = 0; i < 4; i++) {
    assert.is(await replay(store, old[i]!, `s${i % 3}`), 'evicted', `stream ${i}`);
    assert.is(await replay(store, old[i]!, 'nobody'), i >= 2 ? 'wrong-session' : 'unknown', `stream ${i} from another session`);
  }
  assert.equal(await replay(store, old[4]!.replace(/\.1$/, '.0'), 's1'), [4]);
  assert.equal(await replay(store, old[5]!.replace(/\.1$/, '.0'), 's2'), [5]);
});

columns('an ended history: several events, non-ASCII text, replay from each id, then appends and evictions after the end', async () => {
  const store = createMemoryEventStore({ maxEventsPerStream: 4 });
  const key = { sessionId: 's', streamId: 'p1' };
  const start = await store.openStream(key);
  const words = ['héllo', '日本語', '😀 and "quotes" \\ \n', 'plain'];
  const ids: string[] = [];
  for (const w of words) ids.push(await store.append(key, text(w)));
  await store.endStream!(key);
  assert.equal(await replay(store, start), words);
  for (let i = 0; i < ids.length; i++) assert.equal(await replay(store, ids[i]!), words.slice(i + 1), `after event ${i + 1}`);
  // An append after the end evicts the oldest (maxEventsPerStream 4) from the byte-kept history.
  const fifth = await store.append(key, text('fifth'));
  assert.is(fifth.split('.')[1], '5');
  assert.is(await replay(store, start), 'evicted');
  assert.equal(await replay(store, ids[0]!), [...words.slice(1), 'fifth']);
  await store.endStream!(key);
  assert.equal(await replay(store, ids[2]!), ['plain', 'fifth']);
});

columns('many sessions with the same stream ids, ended: each replays its own; slots reused by new streams do not answer old ids', async () => {
  const store = createMemoryEventStore({ maxStreams: 20 });
  const starts = new Map<string, string>();
  for (let s = 0; s < 5; s++) {
    for (let p = 0; p < 4; p++) {
      const key = { sessionId: `s${s}`, streamId: `p${p}` };
      starts.set(`${s}/${p}`, await store.openStream(key));
      await store.append(key, msg(100 * s + p));
      await store.endStream!(key);
    }
  }
  for (let s = 0; s < 5; s++) for (let p = 0; p < 4; p++) assert.equal(await replay(store, starts.get(`${s}/${p}`)!, `s${s}`), [100 * s + p]);
  // Twenty more streams take every slot (the oldest evicted first), each ended.
  const fresh: string[] = [];
  for (let i = 0; i < 20; i++) {
    const key = { sessionId: 'new', streamId: `q${i}` };
    fresh.push(await store.openStream(key));
    await store.append(key, msg(1000 + i));
    await store.endStream!(key);
  }
  for (const [name, id] of starts) assert.is(await replay(store, id, `s${name.split('/')[0]}`), 'evicted', name);
  for (let i = 0; i < 20; i++) assert.equal(await replay(store, fresh[i]!, 'new'), [1000 + i]);
});

columns('deleteSession with many ended streams: all unknown, bytes given back, the slots reused cleanly', async () => {
  const store = createMemoryEventStore({ maxBytes: 40_000, maxStreams: 200 });
  const ids: string[] = [];
  for (let i = 0; i < 150; i++) {
    const key = { sessionId: 'gone', streamId: `p${i}` };
    ids.push(await store.openStream(key));
    await store.append(key, msg(i));
    if (i % 3 !== 0) await store.endStream!(key); // some ended (bytes), some open (strings)
  }
  const keep = { sessionId: 'kept', streamId: 'p0' };
  const kept = await store.openStream(keep);
  await store.append(keep, msg(-1));
  await store.endStream!(keep);
  await store.deleteSession('gone');
  for (const id of ids) assert.is(await replay(store, id), 'unknown');
  assert.equal(await replay(store, kept), [-1]);
  // The deleted session's ~14 KB are back: 31 KB of new history fits beside the kept stream.
  const big = { sessionId: 'b', streamId: 'x' };
  const bigStart = await store.openStream(big);
  for (let i = 0; i < 30; i++) await store.append(big, text('w'.repeat(940)));
  await store.endStream!(big);
  assert.is((await replay(store, bigStart)).length, 30);
  assert.equal(await replay(store, kept), [-1]);
});

columns.run();
