// An SSE event that never ends, on a call's stream: the client skips an event over
// `maxEventBytes` (and reports it), but one that runs on past 16 times the limit is not read
// to its end: the stream is ended and the call fails at once with MCP_ERR_MESSAGE_TOO_LARGE.
// Before, the client read and discarded it until the call's timeout (2.5 s of CPU in 8 s).
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type FetchLike } from '../client/index.ts';
import { McpError } from '../protocol/index.ts';
import { bodyOf } from './json-body.ts';

const INIT = { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'endless', version: '1' } };

/** Writes one `data:` line to `res` for ever (until the client goes), as fast as it is read. */
function endless(res: ServerResponse): void {
  const block = 'x'.repeat(64 * 1024);
  res.write('id: e1\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"');
  const more = (): void => {
    while (!res.destroyed && res.write(block));
    if (!res.destroyed) res.once('drain', more);
  };
  more();
}

async function start(): Promise<{ url: string; sent: () => number; close(): Promise<void> }> {
  let sent = 0;
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST') return void res.writeHead(req.method === 'DELETE' ? 200 : 405).end();
    const message = await bodyOf(req);
    if (message.method === 'initialize') return void res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: INIT }));
    if (message.method !== 'tools/call') return void res.writeHead(202).end();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const socket = res.socket!;
    res.on('close', () => { sent = socket.bytesWritten; });
    endless(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    sent: () => sent,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const test = suite('HTTP client: an SSE event that never ends');

for (const [name, fetch] of [['undici', undefined], ['an injected fetch', globalThis.fetch as unknown as FetchLike]] as const) {
  test(`the call fails with MCP_ERR_MESSAGE_TOO_LARGE long before its timeout (${name})`, async () => {
    const server = await start();
    const errors: Error[] = [];
    const client = createClient({ name: 't', version: '1' }, { onError: (e) => errors.push(e) });
    try {
      await client.connect(createHttpClientTransport({ url: server.url, openStandaloneStream: false, maxEventBytes: 64 * 1024, ...(fetch ? { fetch } : {}) }));
      const started = Date.now();
      const outcome = await client.callTool('x', {}, { timeoutMs: 20_000 }).then(() => 'answered', (e: unknown) => e);
      assert.instance(outcome, McpError);
      assert.is((outcome as McpError).code, 'MCP_ERR_MESSAGE_TOO_LARGE', (outcome as Error).message);
      assert.match((outcome as Error).message, /without ending/);
      assert.ok(Date.now() - started < 10_000, `failed after ${Date.now() - started} ms`);
      assert.is(errors.filter((e) => (e as McpError).code === 'MCP_ERR_MESSAGE_TOO_LARGE').length, 1, 'the dropped event is reported once');
    } finally {
      await client.close();
      await server.close();
    }
  });
}

test.run();
