// A call that ends while Redis refuses writes (here `maxmemory` reached under `noeviction`;
// the same for Redis restarted or unreachable): its response cannot be stored (the client on
// the live connection gets it unstored, faults26; -32603 naming the store before), nor the stream's end, nor the session's
// save without the call. Before, neither was written once Redis took writes again: a client
// resuming the stream on another instance tailed it for ever (the instance that ran it is
// alive, so nothing takes it over), and the call stayed listed in flight under that instance,
// to be run again when it stops, after its client was told it failed. Now both are owed and
// written once Redis has room (transport/redis/owed-writes.ts), and so is the error that
// replaced the response, before the end (scalewalk3's Left). In process: two handlers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from '../../server/server.ts';
import { createMcpHttpHandler } from '../../server/http.ts';
import { connectRedis } from '../../transport/redis/connection.ts';
import { createRedisStores } from '../../transport/redis/stores.ts';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { SseReader } from './mcp-http.ts';

const URL_BASE = 'http://127.0.0.1/mcp';
const BASE = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const PREFIX = 'owed:';

/** An instance whose `gated` tool reports one step, then answers once `release` is called. */
async function instance(url: string) {
  const stores = await createRedisStores(url, { prefix: PREFIX, maxReconnectDelayMs: 100, evictionCheckMs: 0 });
  const server = createServer({ name: 'owed', version: '1.0.0' });
  let release = () => {};
  const gate = new Promise<void>((resolve) => { release = resolve; });
  server.tool({ name: 'gated', description: 'One step, then waits for the test.' }, async (_args, ctx) => {
    await ctx.progress(1, 2, 'step 1');
    await gate;
    return 'done';
  });
  const handler = createMcpHttpHandler(server, { eventStore: stores.eventStore, recoverInflight: true, disableHostChecks: true, onError: () => {} });
  return {
    handler, release: () => release(), ready: () => stores.link.ready,
    async close() {
      await handler.close();
      await server.close();
      await stores.close();
    },
  };
}

const redis = await startTestRedis();
if (redis) {
  const test = suite('scale-out: what a call that ended while Redis refused writes owes Redis');

  // After a reconnect (scalewalk7's Left: "(the stream end)" failed on a closed socket, was it
  // written?): the reconnect flushed an empty list of owed writes, and that flush's promise
  // stayed, so no owed write was ever tried again by that instance (owed-writes.ts); this
  // case failed before (the resumed stream never ended).
  for (const reconnected of [false, true]) test(`once Redis has room${reconnected ? ', after a reconnect with nothing owed' : ''}: the stream ends for a resume elsewhere, and the call is no longer in flight`, async () => {
    const a = await instance(redis.url);
    const b = await instance(redis.url);
    if (reconnected) {
      await redis.restart();
      for (let i = 0; i < 400 && !(a.ready() && b.ready()); i++) await new Promise<void>((resolve) => setTimeout(resolve, 25));
      assert.ok(a.ready() && b.ready(), 'both instances reconnected');
    }
    const link = await connectRedis(redis.url);
    let full = false;
    try {
      const init = await a.handler.handle(new Request(URL_BASE, { method: 'POST', headers: BASE, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }) }));
      const sessionId = init.headers.get('mcp-session-id')!;
      await new SseReader(init).until((m) => m.id === 0);
      const headers = { ...BASE, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
      const post = (on: typeof a, body: unknown) => on.handler.handle(new Request(URL_BASE, { method: 'POST', headers, body: JSON.stringify(body) }));
      assert.is((await post(a, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);

      const call = new SseReader(await post(a, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'gated', arguments: {}, _meta: { progressToken: 'p' } } }));
      const step = await call.until((m) => m.method === 'notifications/progress');
      assert.ok(step?.id, 'the step has an event id');

      // Redis full (maxmemory below its use): the response, the stream's end and the session's save are refused.
      await link.send(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
      await link.send(['CONFIG', 'SET', 'maxmemory', '1']);
      full = true;
      a.release();
      const answered = await call.until((m) => m.id === 1);
      assert.equal(answered?.message, { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'done' }] } }, 'the result reaches the live connection unstored');

      // Room again.
      await link.send(['CONFIG', 'SET', 'maxmemory', '0']);
      full = false;

      const resumed = await b.handler.handle(new Request(URL_BASE, { method: 'GET', headers: { ...headers, 'last-event-id': step!.id! } }));
      assert.is(resumed.status, 200);
      const reader = new SseReader(resumed);
      let error: unknown;
      try {
        await reader.drain(8000);
      } catch (e) {
        error = e;
      }
      assert.is(error, undefined, 'the resumed stream never ended (its end was never written)');
      assert.ok(reader.ended);
      // The error record that takes the unstored response's place is owed too, before the end:
      // a client that lost the connection gets it on resume (it ended without a response before).
      const answers = reader.events.filter((e) => e.message?.id === 1);
      assert.is(answers.length, 1, 'the error that replaced the response, once');
      const replaced = answers[0]!.message!.error as { code: number; message: string };
      assert.is(replaced.code, -32603);
      assert.match(replaced.message, /could not be stored/);
      assert.ok(answers[0]!.id, 'stored, with an event id');

      const fields = await link.send(['HKEYS', `${PREFIX}session:${sessionId}`]) as string[];
      assert.equal(fields.filter((f) => f.startsWith('inf:')), [], 'the call that ended is still listed in flight');
    } finally {
      if (full) await link.send(['CONFIG', 'SET', 'maxmemory', '0']);
      for (const x of [a, b]) await x.close();
      await link.close();
    }
  });

  test.after(() => redis.stop());
  test.run();
}
