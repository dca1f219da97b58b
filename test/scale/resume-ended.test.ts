// scalewalk3's Left: with Redis, a resume of a stream that had ended with nothing after the
// client's id answered 200 and an empty event stream (the follow path), where the same stream
// in a store without `follow` answers 204 (issue #10 item 11: an empty event stream is taken
// for a dropped connection and reopened, again and again). Now 204 on every instance, the one
// that ran the call or another (2025-11-25 basic/transports: resumability and redelivery).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { echoInstance, openShared, type EchoInstance } from './echo-instance.ts';

/** The `id:` and `data:` of each event of an SSE body. */
function events(body: string): Array<{ id: string; data: string }> {
  return body.split('\n\n').flatMap((block) => {
    const id = /^id: ?(.*)$/m.exec(block)?.[1];
    return id === undefined ? [] : [{ id, data: /^data: ?(.*)$/m.exec(block)?.[1] ?? '' }];
  });
}

const redis = await startTestRedis();
if (redis) {
  const test = suite('scale-out: resuming a stream that has ended');
  let a: EchoInstance;
  let b: EchoInstance;
  test.before(async () => {
    a = await echoInstance(redis.url, { prefix: 'ended:' }, { responseMode: 'sse' });
    b = await echoInstance(redis.url, { prefix: 'ended:' }, { responseMode: 'sse' });
  });

  test('nothing after the id: 204 on both instances; an earlier id: the response, then the end', async () => {
    const session = await openShared(a);
    const call = await session.post(a, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'once' } } });
    assert.is(call.status, 200);
    const sent = events(await call.text());
    const answer = sent.find((e) => e.data.includes('"id":1'));
    assert.ok(answer, 'the response came with an event id');
    for (const [name, on] of [['A (ran it)', a], ['B', b]] as const) {
      const after = await session.resume(on, answer!.id);
      assert.is(after.status, 204, `${name}: nothing after the response`);
      assert.is(await after.text(), '');
    }
    const primed = sent.find((e) => e !== answer);
    assert.ok(primed, 'a priming event precedes the response');
    const again = await session.resume(b, primed!.id);
    assert.is(again.status, 200);
    const replayed = events(await again.text());
    assert.equal(replayed.map((e) => e.id), [answer!.id], 'the response once, then the stream ends');
  });

  test.after(async () => {
    await a.close();
    await b.close();
    await redis.stop();
  });
  test.run();
}
