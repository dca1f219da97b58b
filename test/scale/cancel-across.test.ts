// Issue #18: a legacy call runs on one instance and the client's notifications/cancelled is
// POSTed through the balancer to another. It is relayed to the instance running the call,
// which stops the handler and ends the call's stream with no response (2025-11-25
// basic/utilities/cancellation: the receiver SHOULD stop processing and not respond).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster } from './cluster.ts';
import { openSession, SseReader } from './mcp-http.ts';

const cluster = await startCluster(2);
if (cluster) {
  const test = suite('scale-out: a cancel posted to another instance');

  test('count on one instance, notifications/cancelled through the other: the stream ends without a response, well before the count would', async () => {
    const session = await openSession(cluster.proxy.url);
    // 100 steps of 200 ms: 20 s if nothing stops it.
    const call = await session.post({ jsonrpc: '2.0', id: 'call-1', method: 'tools/call', params: { name: 'count', arguments: { steps: 100, delayMs: 200 }, _meta: { progressToken: 'p1' } } });
    const running = cluster.proxy.served.at(-1)!.backend;
    const stream = new SseReader(call);
    await stream.until((m) => m.method === 'notifications/progress');
    const started = Date.now();
    const cancel = await session.post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'call-1', reason: 'the user gave up' } });
    assert.is(cancel.status, 202);
    assert.is.not(cluster.proxy.served.at(-1)!.backend, running, 'the cancel went to the other instance');
    const response = await stream.until((m) => m.id === 'call-1', 10_000);
    assert.is(response, undefined, `no response to a cancelled request: ${JSON.stringify(response?.message)}`);
    assert.ok(stream.ended);
    assert.ok(Date.now() - started < 5_000, `the stream ended ${Date.now() - started} ms after the cancel`);
    const progress = stream.events.filter((e) => e.message?.method === 'notifications/progress').length;
    assert.ok(progress < 60, `the handler stopped: ${progress} progress events of 100`);
  });

  test.after(() => cluster.stop());
  test.run();
}
