// Issue #18: a legacy call runs on one instance and the client's notifications/cancelled is
// POSTed through the balancer to another. It is relayed to the instance running the call,
// which stops the handler and ends the call's stream with no response (2025-11-25
// basic/utilities/cancellation: the receiver SHOULD stop processing and not respond).
// A cancelled call's stream, resumed later on either instance, replays what it holds and ends:
// its end was stored before the cancel's record, so the history looked unfinished and the
// resume stayed open.
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

  test('the cancelled call\'s stream, resumed on either instance, replays what it holds and ends (it stayed open: its end was stored before the cancel\'s record)', async () => {
    const session = await openSession(cluster.proxy.url);
    // No progress token: nothing but the priming event is written before the cancel.
    const call = await session.post({ jsonrpc: '2.0', id: 'call-2', method: 'tools/call', params: { name: 'count', arguments: { steps: 2, delayMs: 10_000 } } });
    const stream = new SseReader(call);
    const running = cluster.proxy.served.at(-1)!.backend;
    await stream.until(() => false, 500).catch(() => undefined); // reads the priming event
    const first = stream.events[0]!;
    assert.ok(first.id && first.message === undefined, 'the priming event');
    // The cancel lands where the call runs (the proxy alternates: a ping goes to the other first).
    await (await session.post({ jsonrpc: '2.0', id: 'filler', method: 'ping' })).text();
    assert.is((await session.post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'call-2' } })).status, 202);
    assert.is(cluster.proxy.served.at(-1)!.backend, running);
    await stream.drain(10_000);
    for (let i = 0; i < 2; i++) {
      const resumed = await session.get(first.id!);
      assert.is(resumed.status, 200);
      const replay = new SseReader(resumed);
      await replay.drain(5_000);
      assert.ok(replay.ended, 'the resumed stream ended');
    }
  });

  test.after(() => cluster.stop());
  test.run();
}
