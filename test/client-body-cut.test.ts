// A JSON reply whose body ends before its Content-Length (the server lied, or died mid-body)
// fails the request with the transport's own error (MCP_ERR_HTTP, the cause kept), in both
// eras, not with the HTTP library's raw SocketError.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport } from '../client/index.ts';
import { bodyOf } from './json-body.ts';

/** Answers initialize (or server/discover) properly, and tools/call with a body cut short of its Content-Length. */
async function startLiar(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST') return void res.writeHead(req.method === 'DELETE' ? 200 : 405).end();
    const message = await bodyOf(req);
    if (message.method === 'initialize') {
      return void res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's' })
        .end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'liar', version: '1' } } }));
    }
    if (message.method !== 'tools/call') return void res.writeHead(202).end();
    const text = JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { content: [] } });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(text.length + 100) });
    res.write(text);
    setTimeout(() => res.destroy(), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const test = suite('HTTP client: a JSON reply cut short of its Content-Length');

test('the call fails with MCP_ERR_HTTP naming the cut body, the cause kept', async () => {
  const liar = await startLiar();
  const client = createClient({ name: 't', version: '1' }, { onError: () => {} });
  try {
    await client.connect(createHttpClientTransport({ url: liar.url, openStandaloneStream: false }));
    const failure = await client.callTool('x', {}, { timeoutMs: 10_000 }).then(() => undefined, (e: unknown) => e as Error & { code?: string; cause?: unknown });
    assert.ok(failure, 'the call failed');
    assert.is(failure!.code, 'MCP_ERR_HTTP', `${failure!.name}: ${failure!.message}`);
    assert.match(failure!.message, /body/);
    assert.ok(failure!.cause, 'the cause is kept');
  } finally {
    await client.close();
    await liar.close();
  }
});

test.run();
