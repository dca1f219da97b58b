// Issue #18: in the legacy era the server asks the client on the call's stream and the client
// POSTs its answer, which the proxy may send to another instance: it is relayed to the
// instance that asked (2025-11-25 client/elicitation over basic/transports).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster } from './cluster.ts';
import { openSession, SseReader } from './mcp-http.ts';

const cluster = await startCluster(2);
if (cluster) {
  const test = suite('scale-out: a client answer posted to another instance');

  test('ask_user on one instance, the elicitation answer through the other: the call completes with it', async () => {
    const session = await openSession(cluster.proxy.url, { elicitation: {} });
    const call = await session.post({ jsonrpc: '2.0', id: 'call-1', method: 'tools/call', params: { name: 'ask_user', arguments: { question: 'Which city?' } } });
    const asking = cluster.proxy.served.at(-1)!.backend;
    const stream = new SseReader(call);
    const question = (await stream.until((m) => m.method === 'elicitation/create'))!.message!;
    const answer = await session.post({ jsonrpc: '2.0', id: question.id, result: { action: 'accept', content: { answer: 'Lima' } } });
    assert.is(answer.status, 202);
    assert.is.not(cluster.proxy.served.at(-1)!.backend, asking, 'the answer went to the other instance');
    const result = await stream.until((m) => m.id === 'call-1');
    assert.match(JSON.stringify(result?.message?.result?.content), /Lima/, JSON.stringify(result?.message));
  });

  test.after(() => cluster.stop());
  test.run();
}
