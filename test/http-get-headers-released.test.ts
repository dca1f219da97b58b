// On `listen`'s own server, a GET's SSE stream (the standalone stream an idle session keeps
// open) lets go of the headers object Node parsed for it once the stream runs (memory per
// idle session, bench g: ~100 B each). Nothing is lost: a later read of `req.headers` gets
// the same fields rebuilt from the raw ones. A POST keeps its object. Loopback only.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createServer, createMcpHttpHandler } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';

const test = suite('node adapter: a GET stream\'s parsed headers let go on our own server');

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });

/** The object Node caches `req.headers` in (its `kHeaders` symbol), read without building it. */
function cachedHeaders(req: IncomingMessage): unknown {
  const symbol = Object.getOwnPropertySymbols(req).find((s) => s.description === 'kHeaders');
  return symbol === undefined ? undefined : (req as unknown as Record<symbol, unknown>)[symbol];
}

/** Send a request; resolves with the response once its head (and, for a POST, its body) came. */
function send(port: number, method: string, headers: Record<string, string>, body?: string): Promise<{ res: IncomingMessage; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/mcp', method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      if (method === 'GET') { resolve({ res, text }); return; }
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ res, text }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} got no answer in 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

test('after the GET stream starts its headers object is gone, and req.headers still reads every field', async () => {
  const server = createServer({ name: 's', version: '1' });
  const handler = createMcpHttpHandler(server, { disableHostChecks: true });
  const listening = await listen(handler, { port: 0 });
  const seen: IncomingMessage[] = [];
  listening.server.on('request', (req: IncomingMessage) => { seen.push(req); });
  try {
    const init = await send(listening.port, 'POST', { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, INIT);
    const sessionId = init.res.headers['mcp-session-id'] as string;
    assert.ok(sessionId, init.text);
    const get = await send(listening.port, 'GET', { accept: 'text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' });
    assert.is(get.res.statusCode, 200);
    const getReq = seen.find((r) => r.method === 'GET')!;
    const postReq = seen.find((r) => r.method === 'POST')!;
    assert.is(cachedHeaders(getReq), undefined, 'the GET no longer holds its parsed headers');
    assert.ok(cachedHeaders(postReq), 'a POST keeps them');
    assert.is(getReq.headers['mcp-session-id'], sessionId);
    assert.is(getReq.headers['mcp-protocol-version'], '2025-11-25');
    assert.is(getReq.headers.accept, 'text/event-stream');
    get.res.destroy();
  } finally {
    await listening.close();
  }
});

test.run();
