// A client's answer to an elicitation, posted to an instance that did not ask, is relayed to
// the others (answer-relay.test.ts). Every instance holding a copy of the session heard it, and
// those that did not ask delivered it to their copy anyway: the one holding the client's GET
// stream logged "response to unknown request id N" for every answer relayed (seen walking
// three `serve --redis` behind a balancer with the official SDK's client). Now only the copy
// that waits for the answer takes it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster } from './cluster.ts';
import { openSession, SseReader } from './mcp-http.ts';

const cluster = await startCluster(3);
if (cluster) {
  const test = suite('scale-out: a relayed answer reaches only the instance that asked');

  test('asked on A, answered on B, C holds the GET stream: the call completes, and no instance logs an unknown response', async () => {
    const { proxy, instances } = cluster;
    // Round robin: initialize on 0, notifications/initialized on 1.
    const session = await openSession(proxy.url, { elicitation: {} });
    const standalone = await session.get();
    assert.is(standalone.status, 200);
    const holder = proxy.served.at(-1)!.backend;
    const call = new SseReader(await session.post({ jsonrpc: '2.0', id: 'call-1', method: 'tools/call', params: { name: 'ask_user', arguments: { question: 'Which colour?' } } }));
    const asker = proxy.served.at(-1)!.backend;
    const question = (await call.until((m) => m.method === 'elicitation/create'))!.message!;
    assert.is((await session.post({ jsonrpc: '2.0', id: question.id, result: { action: 'accept', content: { answer: 'teal' } } })).status, 202);
    const answeredOn = proxy.served.at(-1)!.backend;
    assert.equal(new Set([holder, asker, answeredOn]).size, 3, 'three instances: one holds the GET, one asks, one takes the answer');
    const result = await call.until((m) => m.id === 'call-1');
    assert.match(JSON.stringify(result?.message?.result), /teal/);

    // The holder heard the relay as the asker did; what it makes of it is an absence, so it is
    // given a bounded second (before the fix its line came within milliseconds).
    const until = Date.now() + 1000;
    while (Date.now() < until && !/unknown request id/.test(instances[holder]!.log())) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const [i, instance] of instances.entries()) {
      assert.not.match(instance.log(), /unknown request id/, `instance ${i} logged the relayed answer as unknown`);
    }
    await standalone.body?.cancel();
  });

  test.after(() => cluster.stop());
  test.run();
}
