import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { createMemoryEventStore } from './memory.ts';
import type { EventStore } from './types.ts';

// The memory store keeps a stream's token as 16 bytes (its text only while the stream is
// open), tombstones as bytes, and a finished stream's history compactly (memory-streams.ts).
// These are the seams of that layout.
const bytes = suite('memory store: streams kept as bytes');

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

bytes('an ended stream answers its ids, and appends after the end carry the same token', async () => {
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

bytes('a token of zero bytes, or one differing in its last character, is not the stream in that slot', async () => {
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

bytes('tombstones as bytes: an evicted token is told evicted, or wrong-session to another session, after its slot was reused', async () => {
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

const text = (t: string): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: t } });

async function replayText(store: EventStore, id: string, sessionId?: string): Promise<string[] | string> {
  const seen: string[] = [];
  try {
    await store.replayAfter(id, (_id, m) => { seen.push((m as unknown as { params: { data: string } }).params.data); }, sessionId);
    return seen;
  } catch (error) {
    return (error as { reason?: string }).reason ?? String(error);
  }
}

bytes('an ended history kept as bytes: several events, non-ASCII text, replay from each id, then appends and evictions after the end', async () => {
  const store = createMemoryEventStore({ maxEventsPerStream: 4 });
  const key = { sessionId: 's', streamId: 'p1' };
  const start = await store.openStream(key);
  const words = ['héllo', '日本語', '😀 and "quotes" \\ \n', 'plain'];
  const ids: string[] = [];
  for (const w of words) ids.push(await store.append(key, text(w)));
  await store.endStream!(key);
  assert.equal(await replayText(store, start), words);
  for (let i = 0; i < ids.length; i++) assert.equal(await replayText(store, ids[i]!), words.slice(i + 1), `after event ${i + 1}`);
  // An append after the end evicts the oldest (maxEventsPerStream 4) from the byte-kept history.
  const fifth = await store.append(key, text('fifth'));
  assert.is(fifth.split('.')[1], '5');
  assert.is(await replayText(store, start), 'evicted');
  assert.equal(await replayText(store, ids[0]!), [...words.slice(1), 'fifth']);
  await store.endStream!(key);
  assert.equal(await replayText(store, ids[2]!), ['plain', 'fifth']);
});

bytes('a history larger than the per-slot area stays strings and replays whole', async () => {
  const store = createMemoryEventStore({ finishedStreamBytes: 64 });
  const key = { sessionId: 's', streamId: 'big' };
  const start = await store.openStream(key);
  const long = 'x'.repeat(200);
  await store.append(key, text(long));
  await store.append(key, text('y'));
  await store.endStream!(key);
  assert.equal(await replayText(store, start), [long, 'y']);
  // One that fits exactly, beside it: its own events only.
  const small = { sessionId: 's', streamId: 'small' };
  const smallStart = await store.openStream(small);
  await store.append(small, text('z'));
  await store.endStream!(small);
  assert.equal(await replayText(store, smallStart), ['z']);
  assert.equal(await replayText(store, start), [long, 'y']);
});

bytes('finishedStreamBytes 0 keeps strings; outside 0..65535 is refused', async () => {
  const store = createMemoryEventStore({ finishedStreamBytes: 0 });
  const key = { sessionId: 's', streamId: 'p' };
  const start = await store.openStream(key);
  await store.append(key, msg(1));
  await store.endStream!(key);
  assert.equal(await replay(store, start), [1]);
  assert.throws(() => createMemoryEventStore({ finishedStreamBytes: 65_536 }), /finishedStreamBytes/);
  assert.throws(() => createMemoryEventStore({ finishedStreamBytes: -1 }), /finishedStreamBytes/);
});

bytes('many sessions with the same stream ids, ended: each replays its own; evicted areas reused by new streams do not leak to old ids', async () => {
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
  // Twenty more streams take every slot (the oldest evicted first), each ended with a larger event.
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

bytes('deleteSession with many ended streams: all unknown, bytes given back, the slots reused cleanly', async () => {
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
  assert.is((await replayText(store, bigStart) as string[]).length, 30);
  assert.equal(await replay(store, kept), [-1]);
});

bytes.run();
