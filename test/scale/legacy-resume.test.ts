// Issue #18: a legacy SSE call cut mid-stream and resumed through a proxy with no affinity on
// another instance gets the rest exactly once, in order, and live while the call runs on the
// first instance (2025-11-25 basic/transports: resumability and redelivery).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster } from './cluster.ts';
import { openSession, SseReader } from './mcp-http.ts';

const cluster = await startCluster(2);
if (cluster) {
  const test = suite('scale-out: a legacy stream resumed on another instance');
  const steps = 6;
  const delayMs = 250;

  test('cut after the first progress, resumed on B: the rest exactly once, in order, live', async () => {
    const session = await openSession(cluster.proxy.url);
    const cut = new AbortController();
    const call = await session.post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'count', arguments: { steps, delayMs }, _meta: { progressToken: 'p' } } }, cut.signal);
    assert.is(call.status, 200);
    const onA = new SseReader(call);
    await onA.until((m) => m.method === 'notifications/progress');
    const lastId = onA.events.at(-1)!.id!;
    cut.abort();
    await onA.cancel();
    const resumedAt = Date.now();
    const resumed = await session.get(lastId);
    assert.is(resumed.status, 200);
    const onB = new SseReader(resumed);
    const result = await onB.until((m) => m.id === 1);
    await onB.drain();

    const served = cluster.proxy.served;
    const postBackend = served.findLast((s) => s.method === 'POST')!.backend;
    const getBackend = served.findLast((s) => s.method === 'GET')!.backend;
    assert.is.not(getBackend, postBackend, 'the resume went to the other instance');

    const progress = (list: typeof onA.events) => list.flatMap((e) => (e.message?.method === 'notifications/progress' ? [e.message.params.progress as number] : []));
    assert.equal([...progress(onA.events), ...progress(onB.events)], Array.from({ length: steps }, (_, i) => i + 1), 'every step once, in order');
    assert.equal(result?.message?.result?.content?.[0]?.text, `counted to ${steps}`);
    const ids = [...onA.events, ...onB.events].flatMap((e) => (e.message && e.id ? [e.id] : []));
    assert.is(new Set(ids).size, ids.length, 'no event id twice');
    // Live, not a replay after the fact: B delivered steps while A was still counting.
    const firstOnB = onB.events.find((e) => e.message?.method === 'notifications/progress')!;
    assert.ok(result!.at - firstOnB.at >= delayMs, `the result came ${result!.at - firstOnB.at} ms after B's first step`);
    assert.ok(firstOnB.at - resumedAt < (steps - 1) * delayMs, 'B started delivering before the call ended');
  });

  test('a resume with an id of another session is refused on any instance', async () => {
    const one = await openSession(cluster.proxy.url);
    const two = await openSession(cluster.proxy.url);
    const call = await one.post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } });
    const reader = new SseReader(call);
    await reader.until((m) => m.id === 1);
    const id = reader.events.find((e) => e.message?.id === 1)!.id!;
    for (let i = 0; i < 2; i++) {
      const refused = await two.get(id);
      assert.is(refused.status, 400);
      await refused.text();
    }
  });

  test.after(() => cluster.stop());
  test.run();
}
