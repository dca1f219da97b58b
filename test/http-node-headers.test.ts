// The Node adapter's request headers (transport/http/node-exchange.ts): each name read as Node
// gave it, repeated headers joined, and the whole record (`MessageExtra.headers`) strings only,
// set-cookie (the one header Node keeps as an array) included. Over a real socket on port 0.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { toExchangeListener } from '../transport/http/node-exchange.ts';
import { emptyReply, type InboundRequest } from '../transport/http/exchange.ts';

const test = suite('the Node adapter\'s request headers: by name and as a record');

/** What the exchange saw of one request sent as raw lines (names as given, repeats kept). */
async function seen(lines: string[], read: (request: InboundRequest) => unknown): Promise<unknown> {
  let got: unknown;
  const listener = toExchangeListener({ exchange: async (request) => { got = read(request); return emptyReply(204); } });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const { connect } = await import('node:net');
    const socket = connect(port, '127.0.0.1');
    socket.write(['GET /mcp HTTP/1.1', `Host: 127.0.0.1:${port}`, ...lines, 'Connection: close', '', ''].join('\r\n'));
    socket.resume();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply within 10 s')), 10_000);
      socket.on('close', () => { clearTimeout(timer); resolve(); });
    });
    return got;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

test('the names a POST reads, any case on the wire, and a name read by no fixed site', async () => {
  const names = ['mcp-session-id', 'mcp-protocol-version', 'accept', 'content-type', 'content-length', 'origin', 'x-other', 'last-event-id'];
  const got = await seen([
    'MCP-Session-Id: abc', 'Mcp-Protocol-Version: 2025-11-25', 'Accept: application/json', 'Accept: text/event-stream',
    'Content-Type: application/json', 'Content-Length: 0', 'X-Other: one', 'X-Other: two',
  ], (request) => names.map((name) => request.header(name)));
  assert.equal(got, ['abc', '2025-11-25', 'application/json, text/event-stream', 'application/json', '0', null, 'one, two', null]);
});

test('the record is every header as a string: set-cookie\'s array joined, the rest as Node joined them', async () => {
  const plain = await seen(['Accept: application/json', 'X-Other: one', 'X-Other: two'], (request) => request.headerRecord()) as Record<string, unknown>;
  assert.is(plain['accept'], 'application/json');
  assert.is(plain['x-other'], 'one, two');
  const cookies = await seen(['Set-Cookie: a=1', 'Set-Cookie: b=2', 'X-Other: one'], (request) => request.headerRecord()) as Record<string, unknown>;
  assert.is(cookies['set-cookie'], 'a=1, b=2');
  assert.is(cookies['x-other'], 'one');
  assert.ok(Object.values(cookies).every((value) => typeof value === 'string'), JSON.stringify(cookies));
});

test.run();
