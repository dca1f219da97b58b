import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { createMemoryEventStore } from './memory.ts';
import type { EventStore } from './types.ts';

// A store at maxStreams evicts its oldest stream (and leaves a tombstone) for every new one: a
// linked list in least-recently-used order, so the cost does not grow with maxStreams (that
// cost is measured by the bench, bench/README "Session 6", never asserted in a timed test).
// What is asserted here is the order: eviction takes the least recently used stream.
const cost = suite('the memory store evicts the least recently used stream at maxStreams');

const reply: JsonRpcMessage = { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'x' }] } };

cost('eviction still takes the least recently used stream, and its ids report evicted', async () => {
  const store = createMemoryEventStore({ maxStreams: 3 });
  const ids: string[] = [];
  for (const streamId of ['a', 'b', 'c']) ids.push(await store.append({ sessionId: 's', streamId }, reply));
  await store.append({ sessionId: 's', streamId: 'a' }, reply); // a is now the most recently used
  await store.openStream({ sessionId: 's', streamId: 'd' }); // evicts b
  const outcome = async (id: string): Promise<string> => {
    try {
      await store.replayAfter(id, () => {});
      return 'ok';
    } catch (error) {
      return (error as { reason?: string }).reason ?? String(error);
    }
  };
  assert.equal([await outcome(ids[0]!), await outcome(ids[1]!), await outcome(ids[2]!)], ['ok', 'evicted', 'ok']);
});

cost('tombstones: the last maxStreams / 2 evicted streams at least are remembered, older ones are not', async () => {
  const store = createMemoryEventStore({ maxStreams: 10 });
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) ids.push(await store.append({ sessionId: 's', streamId: `p${i}` }, reply));
  // Streams 0..29 were evicted, newest last; a tombstone tells another session 'wrong-session'.
  const told = async (id: string): Promise<string> => {
    try {
      await store.replayAfter(id, () => {}, 'other');
      return 'ok';
    } catch (error) {
      return (error as { reason?: string }).reason ?? String(error);
    }
  };
  for (let i = 25; i < 30; i++) assert.is(await told(ids[i]!), 'wrong-session', `evicted stream ${i} is remembered`);
  // Beyond maxStreams evictions back nothing is kept: only the tag is left, which names no session.
  for (let i = 0; i < 20; i++) assert.is(await told(ids[i]!), 'unknown', `evicted stream ${i} is forgotten`);
  for (let i = 30; i < 40; i++) assert.is(await told(ids[i]!), 'wrong-session', `live stream ${i}`);
});

cost('tombstones: the last maxStreams evicted are all remembered, also when one slot is evicted again and again', async () => {
  // Streams a and b stay in use; each new stream evicts the one before it and takes its slot,
  // so every tombstone below is of the same slot.
  const store = createMemoryEventStore({ maxStreams: 3 });
  const told = (id: string): Promise<string> => store.replayAfter(id, () => {}, 'other').then(() => 'ok', (e: { reason?: string }) => String(e.reason));
  await store.append({ sessionId: 's', streamId: 'a' }, reply);
  await store.append({ sessionId: 's', streamId: 'b' }, reply);
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    ids.push(await store.append({ sessionId: 's', streamId: `n${i}` }, reply));
    await store.append({ sessionId: 's', streamId: 'a' }, reply);
    await store.append({ sessionId: 's', streamId: 'b' }, reply);
  }
  assert.is(new Set(ids.map((id) => id.slice(0, 4))).size, 1, 'one slot for all of them');
  // n0..n10 were evicted, newest last: n8, n9, n10 are the last 3.
  for (let i = 8; i < 11; i++) assert.is(await told(ids[i]!), 'wrong-session', `evicted stream n${i} is remembered`);
  for (let i = 0; i < 8; i++) assert.is(await told(ids[i]!), 'unknown', `evicted stream n${i} is forgotten`);
  assert.is(await told(ids[11]!), 'wrong-session', 'the live one');
  await store.close();
});

cost.run();
