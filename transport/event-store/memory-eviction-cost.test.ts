import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { createMemoryEventStore } from './memory.ts';
import type { EventStore } from './types.ts';

// A store at maxStreams evicts its oldest stream (and oldest tombstone) for every new one:
// every legacy POST answered over SSE opens a stream, so a busy server lives there. Finding
// the oldest must not cost more the more streams are kept: when it walked a Map's insertion
// order, V8's deleted entries piled up at the Map's front and each eviction stepped over
// them (~25 µs per new stream at 10 000 streams, growing with the limit).
const cost = suite('the memory store evicts at maxStreams in time independent of maxStreams');

const reply: JsonRpcMessage = { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'x' }] } };

/** A store filled past `maxStreams`; `measure(n)` opens n more streams and returns CPU µs per stream. */
async function fullStore(maxStreams: number): Promise<{ store: EventStore; measure(n: number): Promise<number> }> {
  const store = createMemoryEventStore({ maxStreams });
  let next = 0;
  const open = async (): Promise<void> => {
    const key = { sessionId: `s${next % 50}`, streamId: String(next++) };
    await store.openStream(key);
    await store.append(key, reply);
  };
  // Past the limit twice over: the stream and tombstone tables both evict on every open.
  for (let i = 0; i < 2 * maxStreams + 2_000; i++) await open();
  return {
    store,
    async measure(n) {
      const before = process.cpuUsage();
      for (let i = 0; i < n; i++) await open();
      const used = process.cpuUsage(before);
      return (used.user + used.system) / n;
    },
  };
}

cost('a new stream costs about the same with 40 000 streams kept as with 500', async () => {
  const small = await fullStore(500);
  const large = await fullStore(40_000);
  // Alternate the two and keep each one's best round: load on the machine moves both alike.
  let smallBest = Number.POSITIVE_INFINITY;
  let largeBest = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    smallBest = Math.min(smallBest, await small.measure(5_000));
    largeBest = Math.min(largeBest, await large.measure(5_000));
  }
  assert.ok(largeBest < 3 * smallBest, `per new stream: ${largeBest.toFixed(1)} µs with 40 000 kept, ${smallBest.toFixed(1)} µs with 500`);
  await small.store.close();
  await large.store.close();
});

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

cost.run();
