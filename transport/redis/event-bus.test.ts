import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisEventBus } from './event-bus.ts';
import { startTestRedis } from './test-server.ts';

type Event = { type: 'list_changed'; list: string } | { type: 'resource_updated'; uri: string };

const redis = await startTestRedis();
if (redis) {
  const linkA = await connectRedis(redis.url);
  const linkB = await connectRedis(redis.url);
  const test = suite('the event bus on Redis pub/sub');

  test('an event published on A reaches the subscribers of A (at once) and of B, once each', async () => {
    const a = await createRedisEventBus<Event>(linkA, { prefix: 'b1:' });
    const b = await createRedisEventBus<Event>(linkB, { prefix: 'b1:' });
    const onA: Event[] = [];
    const onB: Event[] = [];
    a.subscribe((e) => { onA.push(e); return true; });
    const heard = new Promise<void>((resolve) => b.subscribe((e) => { onB.push(e); if (onB.length === 2) resolve(); return false; }));
    assert.is(await a.publish({ type: 'list_changed', list: 'tools' }), 1, 'counts local deliveries');
    await a.publish({ type: 'resource_updated', uri: 'file:///x' });
    await heard;
    assert.equal(onA, [{ type: 'list_changed', list: 'tools' }, { type: 'resource_updated', uri: 'file:///x' }]);
    assert.equal(onB, onA);
    await a.close();
    await b.close();
  });

  test('another prefix is another bus; a stopped subscription hears nothing more', async () => {
    const a = await createRedisEventBus<Event>(linkA, { prefix: 'b2:' });
    const other = await createRedisEventBus<Event>(linkB, { prefix: 'b3:' });
    const b = await createRedisEventBus<Event>(linkB, { prefix: 'b2:' });
    const strays: Event[] = [];
    other.subscribe((e) => { strays.push(e); return true; });
    const seen: Event[] = [];
    let unsubscribe = () => {};
    const first = new Promise<void>((resolve) => { unsubscribe = b.subscribe((e) => { seen.push(e); resolve(); return true; }); });
    await a.publish({ type: 'list_changed', list: 'tools' });
    await first;
    unsubscribe();
    // A marker subscriber on B proves the second event arrived there.
    const marker = new Promise<void>((resolve) => b.subscribe(() => { resolve(); return true; }));
    await a.publish({ type: 'list_changed', list: 'prompts' });
    await marker;
    assert.equal(seen, [{ type: 'list_changed', list: 'tools' }]);
    assert.equal(strays, []);
    for (const bus of [a, other, b]) await bus.close();
  });

  test.after(async () => {
    await linkA.close();
    await linkB.close();
    await redis.stop();
  });
  test.run();
}
