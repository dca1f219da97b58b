// The Node adapter answers through a servable's `exchangeTo` (a reply ready once the body is
// read goes out with no promise: an answer POST's 202, bench f) only while it answers as the
// servable's `exchange`: a wrapper that replaces `exchange` and copies the rest is not
// bypassed. A failure given to the sink is reported by the listener and answered 500.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen, type ExchangeServable, type InboundRequest, type ReplySink, type ServerReply } from 'mcpwire/transport';

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** POST `body` to `url`, with the session's headers when `session` is given. */
function post(url: string, body: unknown, session?: string): Promise<Response> {
  const headers: Record<string, string> = session ? { ...HEADERS, 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' } : HEADERS;
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(5_000) });
}

/** Listen on `servable`; the listener's reports in `errors`. */
async function serving(servable: ExchangeServable, use: (url: string, errors: Error[]) => Promise<void>): Promise<void> {
  const errors: Error[] = [];
  const listening = await listen(servable, { host: '127.0.0.1', port: 0, onError: (e) => errors.push(e) });
  try {
    await use(`http://127.0.0.1:${listening.port}/mcp`, errors);
  } finally {
    await listening.close();
  }
}

const to = suite('the Node adapter and exchangeTo');

to('the handler\'s own: a session\'s ping and an answer\'s 202 are served through it', async () => {
  const handler = createMcpHttpHandler(createServer({ name: 'x', version: '1' }), { responseMode: 'json' });
  assert.type(handler.exchangeTo, 'function');
  let through = 0;
  const own = handler.exchangeTo!;
  const counted = Object.assign((request: InboundRequest, sink: ReplySink) => { through += 1; own(request, sink); }, { answersAs: handler.exchange });
  try {
    await serving({ exchange: handler.exchange, exchangeTo: counted }, async (url) => {
      const init = await post(url, INIT);
      const session = init.headers.get('mcp-session-id')!;
      assert.is((await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, session)).status, 202);
      const ping = await post(url, { jsonrpc: '2.0', id: 2, method: 'ping' }, session);
      assert.equal(await ping.json(), { jsonrpc: '2.0', id: 2, result: {} });
      const stray = await post(url, { jsonrpc: '2.0', id: 'nobody-asked', result: {} }, session);
      assert.is(stray.status, 202);
      assert.is(through, 4, 'every POST went through exchangeTo');
    });
  } finally {
    await handler.close();
  }
});

to('a wrapper that replaces exchange and copies the rest ({ ...handler, exchange }) still sees every request', async () => {
  const handler = createMcpHttpHandler(createServer({ name: 'x', version: '1' }), { responseMode: 'json' });
  const seen: string[] = [];
  const wrapped: ExchangeServable = {
    ...handler,
    exchange: (request) => {
      seen.push(request.header('mcp-session-id') === null ? 'new' : 'session');
      return handler.exchange(request);
    },
  };
  assert.ok(wrapped.exchangeTo, 'copied by the spread');
  try {
    await serving(wrapped, async (url) => {
      const session = (await post(url, INIT)).headers.get('mcp-session-id')!;
      await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, session);
      assert.is((await post(url, { jsonrpc: '2.0', id: 2, method: 'ping' }, session)).status, 200);
      assert.equal(seen, ['new', 'session', 'session']);
    });
  } finally {
    await handler.close();
  }
});

to('a reply given at once is written; a failure given to the sink is reported by the listener and answered 500', async () => {
  const reply: ServerReply = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
  const exchange = (): Promise<ServerReply> => Promise.reject(new Error('exchange is not used'));
  const servable: ExchangeServable = {
    exchange,
    exchangeTo: Object.assign((request: InboundRequest, sink: ReplySink) => {
      if (request.header('x-fail') !== null) sink.failed(new Error('the exchange broke'));
      else sink.replied(reply);
    }, { answersAs: exchange }),
  };
  await serving(servable, async (url, errors) => {
    const ok = await fetch(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(5_000) });
    assert.equal(await ok.json(), { ok: true });
    const failed = await fetch(url, { method: 'POST', headers: { 'x-fail': '1' }, body: '{}', signal: AbortSignal.timeout(5_000) });
    assert.is(failed.status, 500);
    await failed.arrayBuffer();
    assert.equal(errors.map((e) => e.message), ['the exchange broke']);
  });
});

to.run();
