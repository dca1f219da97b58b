// The head `listen` writes for each kind of reply (transport/http/node-exchange.ts writeReply):
// an SSE reply complete before its head goes is sent whole with a Content-Length and without
// the headers that speak of a stream only (Cache-Control: no-cache, no-transform and
// X-Accel-Buffering: no); a reply still streaming keeps them and has no Content-Length; a JSON
// body has its Content-Length; every header is sent once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';

const VERSION = '2025-11-25';
const HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };
const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'head', version: '1' } } };

interface Head { status: number; headers: Record<string, string | string[] | undefined>; get(name: string): string | undefined }

/** undici's headers (lower-cased names; a header sent twice is an array) and a reader of one value. */
function headOf(statusCode: number, headers: Record<string, string | string[] | undefined>): Head {
  return { status: statusCode, headers, get: (name) => { const v = headers[name]; return Array.isArray(v) ? v.join(' | ') : v; } };
}

function assertEachOnce(head: Head): void {
  for (const [name, value] of Object.entries(head.headers)) assert.ok(!Array.isArray(value), `${name} sent twice: ${String(value)}`);
}

/** A listening server with `quick` (answers at once) and `slow` (answers when `release` is called). */
async function serve(responseMode: 'sse' | 'json') {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => { release = resolve; });
  const server = createServer({ name: 'head', version: '1' });
  server.tool({ name: 'quick' }, () => 'done');
  server.tool({ name: 'slow' }, async () => { await released; return 'late'; });
  const handler = createMcpHttpHandler(server, { keepAliveMs: 0, responseMode });
  const listening = await listen(handler, { host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${listening.port}/mcp`;
  let session: Record<string, string> = {};
  const post = async (body: unknown) => {
    const res = await request(url, { method: 'POST', headers: { ...HEADERS, ...session }, body: JSON.stringify(body), headersTimeout: 5_000, bodyTimeout: 5_000 });
    return { head: headOf(res.statusCode, res.headers), body: res.body };
  };
  return {
    post,
    release: () => release(),
    async open(): Promise<Head> {
      const { head, body } = await post(INIT);
      await body.text();
      session = { 'mcp-session-id': head.get('mcp-session-id')!, 'mcp-protocol-version': VERSION };
      const initialized = await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
      await initialized.body.text();
      return head;
    },
    async close() { release(); await handler.close(); await listening.close(); },
  };
}

const call = (id: number, name: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });

const test = suite('listen: the head of each kind of reply');

test('an SSE reply complete at once: Content-Length, no stream-only headers; the initialize reply keeps its session id', async () => {
  const s = await serve('sse');
  try {
    const init = await s.open();
    assert.is(init.get('content-type'), 'text/event-stream');
    assert.ok(init.get('mcp-session-id'), 'the initialize reply names the session');
    assertEachOnce(init);
    const { head, body } = await s.post(call(2, 'quick'));
    const text = await body.text();
    assert.is(head.status, 200);
    assert.is(head.get('content-type'), 'text/event-stream');
    assert.is(head.get('content-length'), String(Buffer.byteLength(text)));
    assert.is(head.get('cache-control'), undefined);
    assert.is(head.get('x-accel-buffering'), undefined);
    assert.is(head.get('transfer-encoding'), undefined);
    assertEachOnce(head);
    assert.match(text, /"text":"done"/);
  } finally {
    await s.close();
  }
});

test('an SSE reply still running when its head goes: the stream-only headers, no Content-Length', async () => {
  const s = await serve('sse');
  try {
    await s.open();
    const { head, body } = await s.post(call(2, 'slow'));
    assert.is(head.get('content-type'), 'text/event-stream');
    assert.is(head.get('cache-control'), 'no-cache, no-transform');
    assert.is(head.get('x-accel-buffering'), 'no');
    assert.is(head.get('content-length'), undefined);
    assertEachOnce(head);
    s.release();
    assert.match(await body.text(), /"text":"late"/);
  } finally {
    await s.close();
  }
});

test('a JSON reply: its Content-Length, no stream-only headers', async () => {
  const s = await serve('json');
  try {
    await s.open();
    const { head, body } = await s.post(call(2, 'quick'));
    const text = await body.text();
    assert.is(head.get('content-type'), 'application/json');
    assert.is(head.get('content-length'), String(Buffer.byteLength(text)));
    assert.is(head.get('cache-control'), undefined);
    assertEachOnce(head);
    assert.match(text, /"text":"done"/);
  } finally {
    await s.close();
  }
});

test.run();
