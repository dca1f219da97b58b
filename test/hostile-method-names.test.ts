// Method names are wire data: a request named after a member of Object.prototype
// (`__proto__`, `constructor`, `toString`...) is "method not found" (-32601) like any unknown
// method, and the peer goes on serving. A hostile client's `{"method":"__proto__"}` used to
// find Object.prototype in the capability table and crash `mcpwire serve` with "TypeError:
// path is not iterable" (found by hand against the built CLI).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { createMemoryPair } from 'mcpwire/transport';
import type { JsonRpcMessage } from '../protocol/index.ts';
import { stdioLines } from './stdio-lines.ts';
import { makeFixture, messagesOf, readEvents } from './http-fixture.ts';
import { request as modernRequest, testServer, VERSION } from './modern-kit.ts';

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

const http = suite('HTTP server: methods named like Object.prototype members');

http('a 2025-11-25 session answers each with -32601 and its id, notifications get 202, and the session still serves', async () => {
  const f = makeFixture({ responseMode: 'json' });
  try {
    const sid = await f.initialize();
    const headers = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    for (const [i, method] of NAMES.entries()) {
      const res = await f.post({ jsonrpc: '2.0', id: i + 1, method, params: {} }, headers);
      assert.is(res.status, 200, method);
      const body = await res.json() as { id: number; error?: { code: number } };
      assert.is(body.id, i + 1, method);
      assert.is(body.error?.code, -32601, method);
      const note = await f.post({ jsonrpc: '2.0', method }, headers);
      assert.is(note.status, 202, `${method} as a notification`);
    }
    const res = await f.post({ jsonrpc: '2.0', id: 99, method: 'tools/call', params: { name: 'echo', arguments: { text: 'still here' } } }, headers);
    assert.match(await res.text(), /still here/);
  } finally {
    await f.close();
  }
});

http('over SSE replies too (the default mode)', async () => {
  const f = makeFixture();
  try {
    const sid = await f.initialize();
    const res = await f.post({ jsonrpc: '2.0', id: 5, method: '__proto__' }, { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' });
    const [answer] = messagesOf(await readEvents(res));
    assert.is(answer?.id, 5);
    assert.is(answer?.error?.code, -32601);
  } finally {
    await f.close();
  }
});

http('a 2026-07-28 POST gets 404 with -32601 for each', async () => {
  const handler = createMcpHttpHandler(testServer());
  try {
    for (const method of NAMES) {
      const message = modernRequest(method);
      const res = await handler.handle(new Request('http://127.0.0.1/mcp', {
        method: 'POST', body: JSON.stringify(message),
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': VERSION, 'mcp-method': method },
      }));
      assert.is(res.status, 404, method);
      const body = await res.json() as { id: string; error: { code: number } };
      assert.is(body.id, message.id);
      assert.is(body.error.code, -32601);
    }
  } finally {
    await handler.close();
  }
});

http.run();

const stdio = suite('stdio server: methods named like Object.prototype members');

stdio('each is answered -32601 with its id, and the next request is served', async () => {
  const server = createServer({ name: 'names', version: '1' });
  const { stdin, line } = await stdioLines(server);
  stdin.write('{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}\n');
  assert.ok((await line(1)).result);
  stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  for (const [i, method] of NAMES.entries()) {
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method })}\n`);
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: i + 1, method })}\n`);
    const answer = await line(i + 2);
    assert.is(answer.id, i + 1, method);
    assert.is(answer.error?.code, -32601, method);
  }
  stdin.write('{"jsonrpc":"2.0","id":50,"method":"ping"}\n');
  assert.equal((await line(NAMES.length + 2)).result, {});
  stdin.end();
  await server.close();
});

stdio.run();

const client = suite('client: a server request named like an Object.prototype member');

client('is answered -32601 with its id; the client keeps its session', async () => {
  const [clientEnd, serverEnd] = createMemoryPair();
  const received: JsonRpcMessage[] = [];
  let wake: (() => void) | undefined;
  await serverEnd.start({
    onMessage(message) {
      const m = message as Record<string, any>;
      if (m.method === 'initialize') {
        void serverEnd.send({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'hostile', version: '1' } } });
        return;
      }
      received.push(message as JsonRpcMessage);
      wake?.();
    },
    onClose() {}, onError() {},
  });
  const errors: Error[] = [];
  const c = createClient({ name: 'c', version: '1' }, { onError: (e) => { errors.push(e); } });
  await c.connect(clientEnd);
  const answers = () => received.filter((m) => 'id' in m && !('method' in m)) as Array<Record<string, any>>;
  for (const [i, method] of NAMES.entries()) {
    await serverEnd.send({ jsonrpc: '2.0', method } as JsonRpcMessage);
    await serverEnd.send({ jsonrpc: '2.0', id: `s${i}`, method } as JsonRpcMessage);
    while (answers().length < i + 1) await new Promise<void>((resolve) => { wake = resolve; });
    const answer = answers()[i]!;
    assert.is(answer.id, `s${i}`, method);
    assert.is(answer.error?.code, -32601, method);
  }
  await c.close();
});

client.run();
