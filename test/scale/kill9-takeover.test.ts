// Issue #18: kill -9 of the instance running a call; once its lease lapses another instance
// claims the call, re-runs it on the same stream, and the client resuming through the proxy
// gets the rest exactly once and the result (2025-11-25 basic/transports: resumability).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { killed } from '../serve-process.ts';
import { startCluster } from './cluster.ts';
import { openSession, SseReader } from './mcp-http.ts';

const cluster = await startCluster(2);
if (cluster) {
  const test = suite('scale-out: a call survives kill -9 of its instance');
  const steps = 5;

  test('the other instance takes the lease and completes the call; every step once, in order', async () => {
    const session = await openSession(cluster.proxy.url);
    const call = await session.post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'count', arguments: { steps, delayMs: 300 }, _meta: { progressToken: 'k' } } });
    assert.is(call.status, 200);
    const running = cluster.proxy.served.at(-1)!.backend;
    const first = new SseReader(call);
    await first.until((m) => m.method === 'notifications/progress');
    await killed(cluster.instances[running]!.child);
    await first.drain().catch(() => undefined); // the connection dies with the process
    const lastId = first.events.findLast((e) => e.id)!.id!;

    const resumed = await session.get(lastId);
    assert.is(resumed.status, 200);
    assert.is.not(cluster.proxy.served.at(-1)!.backend, running, 'served by the survivor');
    const rest = new SseReader(resumed);
    const result = await rest.until((m) => m.id === 7, 20_000);
    assert.equal(result?.message?.result?.content?.[0]?.text, `counted to ${steps}`);
    const progress = [...first.events, ...rest.events].flatMap((e) => (e.message?.method === 'notifications/progress' ? [e.message.params.progress as number] : []));
    assert.equal(progress, Array.from({ length: steps }, (_, i) => i + 1), 'the re-run sends nothing the client already has');
    assert.match(cluster.instances[1 - running]!.log(), /listening/);
  });

  test.after(() => cluster.stop());
  test.run();
}
