// Our client closing right after a call whose elicitation it answered, against a server that
// acknowledges the answer's POST (202) no sooner than it sends the call's result: the official
// Python SDK 2.3 server does both at once, so the client often has its result, and closes,
// while its answer's POST still waits for the 202. Closing then cut that POST and reported
// "could not send the response to request 0" through onError: a fault that was none (the
// server had the answer). The replies are the Python server's bytes (uvicorn, sse-starlette).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer as createNodeServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, createHttpClientTransport } from 'mcpwire/client';

const SESSION = '25a30d61f0334edabbd5656b69ec8ba8';
const sse = (json: string) => `event: message\r\ndata: ${json}\r\n\r\n`;
const SSE_HEAD = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'mcp-session-id': SESSION, 'x-accel-buffering': 'no' };
const INIT_RESULT = (id: unknown) => `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"capabilities":{"tools":{"listChanged":false}},"protocolVersion":"2025-11-25","serverInfo":{"name":"py-low","version":"9"}}}`;
const ELICIT = '{"jsonrpc":"2.0","id":0,"method":"elicitation/create","params":{"mode":"form","message":"Who?","requestedSchema":{"type":"object","properties":{"name":{"type":"string"}}}}}';
const RESULT = (id: unknown) => `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":"hello Ada"}],"isError":false}}`;

/** A server that answers like the Python SDK's, holding the 202 of an answer's POST. */
async function pythonLikeServer() {
  const held: ServerResponse[] = [];
  let standalone: ServerResponse | undefined;
  let call: { res: ServerResponse; id: unknown } | undefined;
  const server = createNodeServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET') { standalone = res; held.push(res); res.writeHead(200, SSE_HEAD); res.flushHeaders(); return; }
      if (req.method === 'DELETE') { res.writeHead(200, { 'mcp-session-id': SESSION }); res.end(); return; }
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown; method?: string; result?: unknown };
      if (message.method === 'initialize') { res.writeHead(200, SSE_HEAD); res.end(sse(INIT_RESULT(message.id))); return; }
      if (message.method === 'notifications/initialized') { res.writeHead(202, { 'mcp-session-id': SESSION }); res.end(); return; }
      if (message.method === 'tools/call') {
        call = { res, id: message.id };
        held.push(res);
        res.writeHead(200, SSE_HEAD);
        standalone?.write(sse(ELICIT));
        return;
      }
      // The answer to elicitation/create: the call's result goes out first, the 202 later.
      held.push(res);
      if (call) call.res.end(sse(RESULT(call.id)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    close: async () => {
      for (const res of held) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const closing = suite('client close with an answer still being posted');

closing('closing after the result reports no error for the answer the server already had', async () => {
  const server = await pythonLikeServer();
  const errors: Error[] = [];
  const client = createClient({ name: 'c', version: '1' }, {
    era: 'legacy', eraCache: false,
    onElicit: async () => ({ action: 'accept', content: { name: 'Ada' } }),
    onError: (error) => errors.push(error),
  });
  try {
    await client.connect(createHttpClientTransport({ url: server.url }));
    const result = await client.callTool('ask', {});
    assert.equal(result.content, [{ type: 'text', text: 'hello Ada' }]);
    await client.close();
    assert.equal(errors.map((e) => e.message), [], 'no error from closing');
  } finally {
    await client.close();
    await server.close();
  }
});

closing.run();
