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

bytes.run();
