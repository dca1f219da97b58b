// 2025-11-25 basic/lifecycle: asks wait for the client's notifications/initialized. Behind a
// balancer the instance that hears it saves the session and tells the others over Redis
// pub/sub, which keeps no message for a subscriber that was away (an outage, a reconnect).
// Here that one message is lost on its way (the relay of the instance holding the ask drops
// it): the ask still goes out, because the waiting instance reads the saved session again
// every `initializedRecheckMs`, not at the ask's own timeout (60 s by default).
// In process: two HTTP handlers on one real redis-server.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from '../../server/server.ts';
import { createMcpHttpHandler } from '../../server/http.ts';
import { createRedisStores } from '../../transport/redis/stores.ts';
import type { SessionEventStore, SessionRelay } from '../../transport/event-store/types.ts';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { SseReader } from './mcp-http.ts';

const URL_BASE = 'http://127.0.0.1/mcp';
const VERSION = '2025-11-25';
const BASE = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const RECHECK_MS = 200;
/** Far below the ask's 60 s timeout, far above RECHECK_MS: only a re-read lets it go this soon. */
const PROMPT_MS = 8_000;

const redis = await startTestRedis();
if (redis) {
  const test = suite('scale-out: notifications/initialized relayed to no one (a lost pub/sub message)');

  /** A relay that loses every notifications/initialized it hears, and counts them. */
  function lossy(relay: SessionRelay) {
    const lost = { count: 0 };
    const wrapped: SessionRelay = {
      send: (sessionId, payload) => relay.send(sessionId, payload),
      listen: (onMessage) => relay.listen((sessionId, payload) => {
        if ((payload as { method?: unknown } | null)?.method === 'notifications/initialized') lost.count++;
        else onMessage(sessionId, payload);
      }),
    };
    return { wrapped, lost };
  }

  async function instance(prefix: string, losesInitialized: boolean) {
    const stores = await createRedisStores(redis!.url, { prefix });
    const relay = lossy(stores.eventStore.relay);
    const eventStore: SessionEventStore = losesInitialized ? { ...stores.eventStore, relay: relay.wrapped } : stores.eventStore;
    const server = createServer({ name: 'relay-lost', version: '1.0.0' });
    server.tool({ name: 'ask_city', description: 'Asks which city.' }, async (_args, ctx) => {
      const answer = await ctx.elicit({ message: 'Which city?', requestedSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } });
      return `city: ${String(answer.content?.city)}`;
    });
    const errors: string[] = [];
    const handler = createMcpHttpHandler(server, {
      eventStore, recoverInflight: true, disableHostChecks: true, initializedRecheckMs: RECHECK_MS,
      onError: (e) => errors.push(e.message),
    });
    return { stores, server, handler, lost: relay.lost, errors };
  }
  type Instance = Awaited<ReturnType<typeof instance>>;

  async function pair(prefix: string, losing: 'a' | 'b') {
    return [await instance(prefix, losing === 'a'), await instance(prefix, losing === 'b')] as const;
  }

  async function stop(...all: Instance[]) {
    for (const x of all) {
      await x.handler.close();
      await x.server.close();
      await x.stores.close();
    }
  }

  /** Initialize on `on` (notifications/initialized not sent); a poster for the session. */
  async function initializeOnly(on: Instance) {
    const init = await on.handler.handle(new Request(URL_BASE, {
      method: 'POST', headers: BASE,
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: VERSION, capabilities: { elicitation: {} }, clientInfo: { name: 'lost', version: '1' } } }),
    }));
    assert.is(init.status, 200);
    const id = init.headers.get('mcp-session-id')!;
    await new SseReader(init).until((m) => m.id === 0);
    const headers = { ...BASE, 'mcp-session-id': id, 'mcp-protocol-version': VERSION };
    return (at: Instance, message: Record<string, unknown>) => at.handler.handle(new Request(URL_BASE, { method: 'POST', headers, body: JSON.stringify(message) }));
  }

  /** The ask on `asker`, initialized on `hearer` whose relay message `asker` loses: the ask goes out, the answer completes the call. */
  async function walk(post: Awaited<ReturnType<typeof initializeOnly>>, asker: Instance, hearer: Instance, callId: string) {
    const call = await post(asker, { jsonrpc: '2.0', id: callId, method: 'tools/call', params: { name: 'ask_city', arguments: {} } });
    assert.is(call.status, 200);
    const stream = new SseReader(call);
    const since = Date.now();
    const initialized = await post(hearer, { jsonrpc: '2.0', method: 'notifications/initialized' });
    assert.is(initialized.status, 202);
    const arrival = await stream.until((m) => m.method === 'elicitation/create', PROMPT_MS);
    assert.ok(arrival?.message, 'the elicitation went out');
    assert.is(asker.lost.count, 1, 'the relay message was lost (the test drops it)');
    assert.ok(arrival.at - since < PROMPT_MS, `asked ${arrival.at - since} ms after initialized`);
    const answer = await post(asker, { jsonrpc: '2.0', id: arrival.message.id, result: { action: 'accept', content: { city: 'Lima' } } });
    assert.is(answer.status, 202);
    const result = await stream.until((m) => m.id === callId);
    assert.match(JSON.stringify(result?.message?.result?.content), /city: Lima/, JSON.stringify(result?.message));
  }

  test('initialize and the call that asks on A, initialized on B, its relay message lost: A asks after a re-read of the session', async () => {
    const [a, b] = await pair('lost1:', 'a');
    try {
      const post = await initializeOnly(a);
      await walk(post, a, b, 'call-1');
      assert.equal(a.errors, [], 'nothing reported');
    } finally {
      await stop(a, b);
    }
  });

  test('initialize on A, the call that asks on B (restored as not initialized), initialized on A, its relay message lost: B asks after a re-read', async () => {
    const [a, b] = await pair('lost2:', 'b');
    try {
      const post = await initializeOnly(a);
      await walk(post, b, a, 'call-2');
      assert.equal(b.errors, [], 'nothing reported');
    } finally {
      await stop(a, b);
    }
  });

  test('initializedRecheckMs must be a positive integer', () => {
    const server = createServer({ name: 'x', version: '1' });
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => createMcpHttpHandler(server, { initializedRecheckMs: bad }), /initializedRecheckMs must be a positive integer/);
    }
  });

  test.after(() => redis.stop());
  test.run();
}
