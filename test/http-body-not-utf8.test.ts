// "JSON-RPC messages MUST be UTF-8 encoded" (2025-11-25 basic/transports). A POST body whose
// bytes are not UTF-8 was decoded with U+FFFD in their place: a tools/call ran with arguments
// the client never sent (measured: `"echo\xC3("` became `"echo\uFFFD("`), and elsewhere the
// JSON parse error named a position and not the cause. Now the body is refused, 400 with
// -32700 naming the first bad byte and its offset, in both eras, through the Node adapter
// (stream and framework-read bytes) and the fetch-style handler; nothing runs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer as createNodeServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { firstInvalidUtf8 } from '../protocol/utf8.ts';

const test = suite('HTTP bodies that are not UTF-8 get a precise parse error (2025-11-25 basic/transports)');
const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' } };
const MODERN_HEADERS = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' };

function app() {
  const ran: string[] = [];
  const server = createServer({ name: 'utf8', version: '1' });
  server.tool({ name: 'echo', description: 'Echoes.', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }, (args: { text?: string }) => {
    ran.push(args.text ?? '');
    return `echo: ${args.text ?? ''}`;
  });
  return { ran, handler: createMcpHttpHandler(server, { disableHostChecks: true, keepAliveMs: 0 }) };
}

/** A tools/call whose argument holds `inner` as raw bytes; and the offset of those bytes. */
function callWith(inner: number[]): { body: Buffer; at: number } {
  const head = Buffer.from(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"text":"a`);
  const tail = Buffer.from(`b"},"_meta":${JSON.stringify(META)}}}`);
  return { body: Buffer.concat([head, Buffer.from(inner), tail]), at: head.length };
}

/** POST `chunks` (written one by one) to `port`; status and parsed body. */
function post(port: number, chunks: Buffer[], headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: {
      'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers,
    } }, (res) => {
      const got: Buffer[] = [];
      res.on('data', (d: Buffer) => got.push(d));
      res.on('end', () => {
        const text = Buffer.concat(got).toString('utf8');
        try { resolve({ status: res.statusCode!, body: JSON.parse(text) }); } catch { resolve({ status: res.statusCode!, body: text }); }
      });
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    (async () => {
      for (const c of chunks) await new Promise<void>((done) => req.write(c, () => done()));
      req.end();
    })().catch(reject);
  });
}

function assertRefused(answer: { status: number; body: any }, at: number, byte: string): void {
  assert.is(answer.status, 400, JSON.stringify(answer.body));
  assert.is(answer.body?.error?.code, -32700);
  assert.match(answer.body.error.message, new RegExp(`^Parse error: the body is not valid UTF-8 \\(byte 0x${byte} at offset ${at}\\)`));
}

test('the Node adapter: a 2026-07-28 tools/call with a bad byte in an argument is refused, and the tool does not run', async () => {
  const { ran, handler } = app();
  const listening = await listen(handler, { port: 0 });
  try {
    const { body, at } = callWith([0xc3, 0x28]); // a lead byte followed by ASCII
    assertRefused(await post(listening.port, [body], MODERN_HEADERS), at, 'C3');
    const lone = callWith([0xff]);
    assertRefused(await post(listening.port, [lone.body.subarray(0, 50), lone.body.subarray(50)], MODERN_HEADERS), lone.at, 'FF');
    assert.equal(ran, [], 'nothing ran');
    // Valid multibyte text split across writes is served whole.
    const good = callWith([...Buffer.from('é😀')]);
    const served = await post(listening.port, [good.body.subarray(0, good.at + 1), good.body.subarray(good.at + 1, good.at + 4), good.body.subarray(good.at + 4)], MODERN_HEADERS);
    assert.is(served.status, 200, JSON.stringify(served.body));
    assert.equal(ran, ['aé😀b']);
  } finally {
    await listening.close();
  }
});

test('the Node adapter: a 2025-11-25 initialize that is not UTF-8 is refused the same way', async () => {
  const { handler } = app();
  const listening = await listen(handler, { port: 0 });
  try {
    const head = Buffer.from('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"');
    const body = Buffer.concat([head, Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('","version":"1"}}}')]); // an encoded surrogate
    assertRefused(await post(listening.port, [body], {}), head.length, 'ED');
    assert.is(handler.sessionCount, 0, 'no session made');
  } finally {
    await listening.close();
  }
});

test('handler.node with bytes a framework read, and the fetch-style handler, refuse it too', async () => {
  const { ran, handler } = app();
  const { body, at } = callWith([0xf4, 0x90, 0x80, 0x80]); // past U+10FFFF
  const node = createNodeServer((req, res) => {
    const got: Buffer[] = [];
    req.on('data', (d: Buffer) => got.push(d));
    req.on('end', () => handler.node(req, res, new Uint8Array(Buffer.concat(got))));
  });
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  try {
    assertRefused(await post((node.address() as AddressInfo).port, [body], MODERN_HEADERS), at, 'F4');
  } finally {
    await new Promise<void>((resolve) => node.close(() => resolve()));
  }
  const reply = await handler.handle(new Request('http://127.0.0.1/mcp', {
    method: 'POST', body, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...MODERN_HEADERS },
  }));
  assertRefused({ status: reply.status, body: await reply.json() }, at, 'F4');
  assert.equal(ran, [], 'nothing ran');
});

test('firstInvalidUtf8: overlongs, surrogates, values past U+10FFFF, stray continuations and cut sequences', () => {
  const at = (bytes: number[]) => firstInvalidUtf8(new Uint8Array(bytes));
  assert.is(at([...Buffer.from('aé€😀')]), -1);
  assert.is(at([0x61, 0xc0, 0x80]), 1, 'overlong NUL');
  assert.is(at([0xe0, 0x80, 0x80]), 0, 'overlong 3-byte');
  assert.is(at([0xed, 0xbf, 0xbf]), 0, 'a surrogate');
  assert.is(at([0xf4, 0x90, 0x80, 0x80]), 0, 'past U+10FFFF');
  assert.is(at([0x61, 0x80]), 1, 'a stray continuation');
  assert.is(at([0x61, 0x62, 0xe2, 0x82]), 2, 'cut at the end');
  assert.is(at([0xf5]), 0);
});

test.run();
