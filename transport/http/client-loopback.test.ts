// The HTTP client transport on its default path (undici's dispatcher, no injected fetch)
// against a bare node:http server on 127.0.0.1:0 that plays a small scripted MCP server.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { createHttpClientTransport } from './client.ts';
import { createCollector } from './client-fake-server.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A server that answers initialize with JSON, notifications with 202, other requests with SSE. */
async function scriptedServer(options: { endAfterResponse?: boolean; redirectFirstPost?: boolean } = {}) {
  const received: Received[] = [];
  let connections = 0;
  let redirected = false;
  const server = createServer((req, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { body += chunk; });
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (options.redirectFirstPost && !redirected && req.method === 'POST') {
        redirected = true;
        res.writeHead(307, { location: '/moved' }).end();
        return;
      }
      if (req.method === 'DELETE') return void res.writeHead(200).end();
      if (req.method === 'GET') return void res.writeHead(405).end();
      const message = JSON.parse(body) as { id?: number; method?: string };
      if (message.id === undefined) return void res.writeHead(202).end();
      if (message.method === 'initialize') {
        const text = JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 's', version: '1' } } });
        return void res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'sid-1' }).end(text);
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`id: ${message.id}.0\ndata:\n\n`);
      res.write(`id: ${message.id}.1\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { n: message.id } })}\n\n`);
      if (options.endAfterResponse !== false) res.end();
    });
  });
  server.on('connection', () => { connections++; });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    received,
    get connections() { return connections; },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const call = (id: number): JsonRpcMessage => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'x' } });
const initialize: JsonRpcMessage = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } };

const exchanges = suite('the default path over a real connection');

exchanges('JSON, 202 and SSE replies reuse keep-alive connections, with the session headers', async () => {
  const server = await scriptedServer();
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: server.url, openStandaloneStream: false, headers: { Authorization: 'Bearer t' } });
  await transport.start(collector.handlers);
  await transport.send(initialize);
  transport.setProtocolVersion!('2025-11-25');
  await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  for (let id = 2; id <= 12; id++) {
    await transport.send(call(id));
    await collector.until(() => collector.messages.length === id, `the response to ${id}`);
  }
  assert.equal(collector.messages.map((m) => [m.relatedRequestId, (m.payload as { result: unknown }).result]),
    [[1, { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 's', version: '1' } }], ...Array.from({ length: 11 }, (_, i) => [i + 2, { n: i + 2 }])]);
  // Let the ends of the streams be read, then check nothing was cut.
  await new Promise((resolve) => setTimeout(resolve, 20));
  await transport.close();
  // A call may go out before the end of the previous stream was read, and take a second
  // connection; a stream cut after its response would cost one per call.
  assert.ok(server.connections <= 2, `${server.connections} connections for 14 exchanges`);
  const last = server.received.at(-2)!;
  assert.is(last.headers['mcp-session-id'], 'sid-1');
  assert.is(last.headers['mcp-protocol-version'], '2025-11-25');
  assert.is(last.headers.authorization, 'Bearer t');
  assert.is(last.headers.accept, 'application/json, text/event-stream');
  assert.is(server.received.at(-1)!.method, 'DELETE');
  assert.equal(collector.errors, []);
  await server.close();
});

exchanges('a JSON reply that arrived whole is refused past maxEventBytes, its message not handed up', async () => {
  const server = await scriptedServer();
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: server.url, openStandaloneStream: false, maxEventBytes: 64 });
  await transport.start(collector.handlers);
  const error = await transport.send(initialize).then(() => undefined, (e: unknown) => e);
  assert.is((error as { code?: string } | undefined)?.code, 'MCP_ERR_MESSAGE_TOO_LARGE');
  assert.equal(collector.messages, []);
  await transport.close();
  await server.close();
});

exchanges('a stream left open after its response is let go', async () => {
  const server = await scriptedServer({ endAfterResponse: false });
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: server.url, openStandaloneStream: false });
  await transport.start(collector.handlers);
  await transport.send(call(2));
  await collector.until(() => collector.messages.length === 1, 'the response');
  await transport.send(call(3));
  await collector.until(() => collector.messages.length === 2, 'the second response');
  await transport.close();
  assert.equal(collector.errors, []);
  await server.close();
});

exchanges('a POST answered 307 is sent again, body and all, to the new place', async () => {
  const server = await scriptedServer({ redirectFirstPost: true });
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: server.url, openStandaloneStream: false });
  await transport.start(collector.handlers);
  await transport.send(initialize);
  assert.is(transport.sessionId, 'sid-1');
  assert.equal(server.received.map((r) => [r.method, r.url]), [['POST', '/mcp'], ['POST', '/moved']]);
  assert.is(server.received[1]!.body, JSON.stringify(initialize));
  await transport.close();
  await server.close();
});

exchanges('an endpoint that is no http(s) URL is refused at creation, naming the option', () => {
  // It used to fail each send with "POST failed: Invalid URL", far from the option at fault.
  for (const url of ['not a url', 'localhost:3000/mcp', 'ftp://example.com/mcp']) {
    assert.throws(() => createHttpClientTransport({ url, openStandaloneStream: false }),
      (e: unknown) => e instanceof TypeError && /^url must be an (absolute )?http: or https: URL .*got "/.test((e as Error).message) && (e as Error).message.includes(url));
  }
});

exchanges.run();
