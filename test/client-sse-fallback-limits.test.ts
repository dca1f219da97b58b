// The HTTP+SSE fallback's bounds and refusals, against small raw servers on 127.0.0.1:0:
// a server that is neither transport keeps the POST's refusal; a GET that never names its
// endpoint is given up after `sseEndpointTimeoutMs`; an endpoint on another origin is
// refused; an event over `maxEventBytes` is dropped and reported; a stream that ends closes
// the client (2024-11-05 has nothing to resume from).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, createHttpClientTransport, createHttpTransportCache, type HttpClientTransportOptions } from 'mcpwire/client';
import { HttpError, McpError } from 'mcpwire/protocol';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function rawServer(handler: Handler) {
  const http = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sse`,
    close: () => new Promise<void>((resolve) => { http.close(() => resolve()); http.closeAllConnections(); }),
  };
}

/** An HTTP+SSE server: the stream's first event names `endpoint`; `initialize` is answered on the stream. */
function sseServer(endpoint: (port: string) => string, after?: (res: ServerResponse) => void): Handler {
  let stream: ServerResponse | undefined;
  return (req, res, body) => {
    if (req.method === 'GET') {
      stream = res;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`event: endpoint\ndata: ${endpoint(req.headers.host!.split(':')[1]!)}\n\n`);
      return;
    }
    if (req.url === '/sse') return void res.writeHead(405).end();
    const message = JSON.parse(body) as { id?: number; method: string };
    res.writeHead(202).end('Accepted');
    if (message.method === 'initialize') {
      stream?.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2024-11-05', capabilities: { tools: {} }, serverInfo: { name: 'raw', version: '1' } } })}\n\n`);
    } else if (message.method === 'notifications/initialized' && stream) after?.(stream);
  };
}

const transportOf = (url: string, extra: Partial<HttpClientTransportOptions> = {}) =>
  createHttpClientTransport({ url, transportCache: createHttpTransportCache(), ...extra });

const test = suite('HTTP+SSE fallback: limits and refusals');

test('options that mean nothing are refused when the transport is made', () => {
  // RangeErrors, as every other option of the transport (they were McpError MCP_ERR_VALIDATION).
  assert.throws(() => transportOf('http://127.0.0.1:1/sse', { legacySse: 'sometimes' as never }), (e: unknown) => e instanceof RangeError && e.message === `legacySse must be 'fallback', 'off' or 'only', not "sometimes"`);
  assert.throws(() => transportOf('http://127.0.0.1:1/sse', { sseEndpointTimeoutMs: 0 }), (e: unknown) => e instanceof RangeError && e.message === 'sseEndpointTimeoutMs must be a positive number of ms, not 0');
  assert.throws(() => transportOf('http://127.0.0.1:1/sse', { sseEndpointTimeoutMs: '10000' as never }), (e: unknown) => e instanceof RangeError && e.message === 'sseEndpointTimeoutMs must be a positive number of ms, not "10000"');
});

test('a server that speaks neither transport: the POST refusal stays the error, naming the failed fallback', async () => {
  const server = await rawServer((_req, res) => res.writeHead(404).end('nothing here'));
  const client = createClient({ name: 't', version: '1' });
  try {
    await client.connect(transportOf(server.url));
    assert.unreachable('connected');
  } catch (error) {
    assert.instance(error, HttpError);
    assert.is((error as HttpError).status, 404);
    assert.match((error as Error).message, /POST failed with HTTP 404.*HTTP\+SSE fallback failed too: GET for an HTTP\+SSE stream failed with HTTP 404/);
  } finally { await client.close(); await server.close(); }
});

test('a GET stream that never sends its endpoint event is given up after sseEndpointTimeoutMs', async () => {
  let streamClosed: Promise<void> | undefined;
  const server = await rawServer((req, res) => {
    if (req.method === 'POST') return void res.writeHead(405).end();
    streamClosed = new Promise((resolve) => res.on('close', () => resolve()));
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(': waiting\n\n');
  });
  const client = createClient({ name: 't', version: '1' });
  const started = Date.now();
  try {
    await client.connect(transportOf(server.url, { sseEndpointTimeoutMs: 150 }));
    assert.unreachable('connected');
  } catch (error) {
    assert.match((error as Error).message, /no HTTP\+SSE endpoint event from .* within 150 ms/);
    assert.ok(Date.now() - started < 5_000);
    await streamClosed; // the GET was dropped (else the runner's timeout ends this)
  } finally { await client.close(); await server.close(); }
});

test('an endpoint on another origin is refused (our credentials go with every POST)', async () => {
  const server = await rawServer(sseServer(() => 'http://evil.example/messages'));
  const client = createClient({ name: 't', version: '1' });
  try {
    await client.connect(transportOf(server.url));
    assert.unreachable('connected');
  } catch (error) {
    assert.match((error as Error).message, /the HTTP\+SSE endpoint http:\/\/evil\.example\/messages is not on the server's origin/);
  } finally { await client.close(); await server.close(); }
});

test('an event over maxEventBytes is dropped and reported; the session goes on', async () => {
  let reported!: (error: Error) => void;
  const firstError = new Promise<Error>((resolve) => { reported = resolve; });
  const server = await rawServer(sseServer(() => '/messages', (stream) => {
    stream.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x'.repeat(4096) } })}\n\n`);
  }));
  const client = createClient({ name: 't', version: '1' }, { onError: (e) => reported(e) });
  try {
    const transport = transportOf(server.url, { maxEventBytes: 1024 });
    await client.connect(transport);
    assert.is(transport.httpTransport, 'sse');
    assert.is(((await firstError) as McpError).code, 'MCP_ERR_MESSAGE_TOO_LARGE');
    assert.is(client.peer.closed, false);
  } finally { await client.close(); await server.close(); }
});

test('the stream ending ends the session: reported, and the client closes', async () => {
  const errors: Error[] = [];
  let closed!: () => void;
  const whenClosed = new Promise<void>((resolve) => { closed = resolve; });
  const server = await rawServer(sseServer(() => '/messages', (stream) => stream.end()));
  const client = createClient({ name: 't', version: '1' }, { onError: (e) => errors.push(e), onClose: () => closed() });
  try {
    await client.connect(transportOf(server.url));
    await whenClosed;
    assert.match(errors.map((e) => e.message).join('\n'), /the HTTP\+SSE stream at .* ended; the session is over/);
  } finally { await client.close(); await server.close(); }
});

test.run();
