// A POST's SSE reply that arrives whole (head and body in one write, as mcpwire's server
// sends a quick call's) is read in one pass without an event stream (client-sse-whole.ts).
// Whatever path it takes, the transport must behave as the stream did: messages in order with
// their request, resumption tokens after their message, the resume path when the body ended
// before the response, and the stream's own errors for what it alone handles.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { createHttpClientTransport } from './client.ts';
import { createCollector } from './client-fake-server.ts';

interface Seen {
  method: string;
  lastEventId: string | undefined;
}

/** A server answering each POST with `body(id)` in one write, and a resuming GET with `resumed(id)`. */
async function wholeReplyServer(body: (id: number) => string, resumed: (lastEventId: string) => string = () => '') {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { text += chunk; });
    req.on('end', () => {
      const lastEventId = req.headers['last-event-id'];
      seen.push({ method: req.method ?? '', lastEventId: typeof lastEventId === 'string' ? lastEventId : undefined });
      if (req.method === 'DELETE') return void res.writeHead(200).end();
      const out = req.method === 'GET' ? resumed(String(lastEventId)) : body((JSON.parse(text) as { id: number }).id);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-length': Buffer.byteLength(out) }).end(out);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const response = (id: number, n: number): string => JSON.stringify({ jsonrpc: '2.0', id, result: { n } });
const call = (id: number): JsonRpcMessage => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'x' } });
const options = { sessionId: 's', protocolVersion: '2025-11-25', openStandaloneStream: false, reconnect: { initialDelayMs: 1 } } as const;

const whole = suite('http client: an SSE reply that arrived whole');

whole('messages in order with their request, each token told after its message, no GET', async () => {
  const server = await wholeReplyServer((id) =>
    `id: t${id}.0\nretry: 50\ndata:\n\n`
    + `event: other\nid: t${id}.1\ndata: not a message\n\n`
    + `id: t${id}.2\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: id } })}\n\n`
    + `id: t${id}.3\ndata: ${response(id, id * 10)}\n\n`);
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: server.url, ...options });
  const order: string[] = [];
  const wrapped = collector.handlers.onMessage;
  collector.handlers.onMessage = (payload, extra) => {
    order.push(`message ${JSON.stringify((payload as { result?: unknown; params?: unknown }).result ?? (payload as { params?: unknown }).params)}`);
    wrapped(payload, extra);
  };
  await transport.start(collector.handlers);
  for (const id of [7, 8]) {
    await transport.send(call(id), { onResumptionToken: (token) => order.push(`token ${token}`) });
    await collector.until(() => collector.messages.length === (id - 6) * 2, `the response to ${id}`);
  }
  assert.equal(collector.messages.map((m) => m.relatedRequestId), [7, 7, 8, 8]);
  assert.equal(order, [
    'token t7.0', 'token t7.1', 'message {"level":"info","data":7}', 'token t7.2', 'message {"n":70}', 'token t7.3',
    'token t8.0', 'token t8.1', 'message {"level":"info","data":8}', 'token t8.2', 'message {"n":80}', 'token t8.3',
  ]);
  assert.equal(server.seen.map((s) => s.method), ['POST', 'POST']);
  assert.equal(collector.errors, []);
  await transport.close();
  await server.close();
});

whole('a body that ended before its response is resumed with GET from its last event id, the response once', async () => {
  const server = await wholeReplyServer(
    (id) => `id: t${id}.0\nretry: 1\ndata:\n\n`,
    (lastEventId) => `id: ${lastEventId.replace(/\.0$/, '.1')}\ndata: ${response(Number(lastEventId.slice(1, -2)), 5)}\n\n`,
  );
  const collector = createCollector();
  const tokens: string[] = [];
  const transport = createHttpClientTransport({ url: server.url, ...options });
  await transport.start(collector.handlers);
  await transport.send(call(4), { onResumptionToken: (token) => tokens.push(token) });
  await collector.until(() => collector.messages.length === 1, 'the resumed response');
  assert.equal(collector.messages, [{ payload: { jsonrpc: '2.0', id: 4, result: { n: 5 } }, relatedRequestId: 4 }]);
  assert.equal(server.seen, [{ method: 'POST', lastEventId: undefined }, { method: 'GET', lastEventId: 't4.0' }]);
  assert.equal(tokens, ['t4.0', 't4.1']);
  await transport.close();
  await server.close();
});

whole('an event over maxEventBytes right before the end fails the request as the stream does, reported once', async () => {
  const server = await wholeReplyServer((id) => `id: t${id}.0\ndata:\n\n` + `id: t${id}.1\ndata: ${response(id, 1)}${' '.repeat(2_000)}\n\n`);
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: server.url, ...options, maxEventBytes: 1_000 });
  await transport.start(collector.handlers);
  await transport.send(call(3));
  await collector.until(() => collector.failed.length === 1, 'the failed request');
  assert.is(collector.failed[0]!.id, 3);
  assert.is((collector.failed[0]!.error as McpError).code, 'MCP_ERR_MESSAGE_TOO_LARGE');
  assert.is(collector.errors.filter((e) => (e as McpError).code === 'MCP_ERR_MESSAGE_TOO_LARGE').length, 1, 'the dropped event is reported once');
  assert.equal(collector.messages, []);
  assert.equal(server.seen.map((s) => s.method), ['POST'], 'no resume: it would only replay the same event');
  await transport.close();
  await server.close();
});

whole.run();
