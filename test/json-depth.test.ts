// A message nested deeper than `maxJsonDepth` (default 512) is refused with -32600 and the
// request's id before anything processes it: `JSON.parse` reads any depth, but the server
// stringifies and checks what it receives, and a value thousands of levels deep used to exhaust
// the stack there, answered -32603 "Maximum call stack size exceeded" (a 2025 initialize with
// deep capabilities, found by hand with a hostile client). Stdio, legacy HTTP and 2026-07-28
// POSTs alike; the server goes on serving.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, createMcpHttpHandler } from 'mcpwire/server';
import { createHttpClientTransport, createStdioClientTransport } from 'mcpwire/client';
import { stdioLines } from './stdio-lines.ts';
import { DEFAULT_MAX_JSON_DEPTH, OversizePayload, parseJson } from '../protocol/jsonrpc.ts';
import { makeFixture } from './http-fixture.ts';
import { request as modernRequest, testServer, VERSION } from './modern-kit.ts';

/** `{"a":{"a":...1...}}` with `levels` objects. */
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const initializeWith = (experimentalLevels: number) => `{"jsonrpc":"2.0","id":7,"method":"initialize","params":{"protocolVersion":"2025-11-25",`
  + `"capabilities":{"experimental":${nested(experimentalLevels)}},"clientInfo":{"name":"deep","version":"1"}}}`;

const parse = suite('parseJson: nesting depth');

parse('depth is counted exactly: the limit passes, one more level is refused with the request id', () => {
  const at = `{"jsonrpc":"2.0","id":3,"method":"x","params":${nested(7)}}`; // 8 levels
  assert.equal(parseJson(at, 8), JSON.parse(at));
  const over = `{"jsonrpc":"2.0","id":3,"method":"x","params":${nested(8)}}`;
  const refused = parseJson(over, 8);
  assert.instance(refused, OversizePayload);
  assert.is((refused as OversizePayload).id, 3);
  assert.match((refused as OversizePayload).detail, /deeper than 8 levels \(maxJsonDepth\)/);
  const batch = parseJson(`[${nested(8)}]`, 8);
  assert.instance(batch, OversizePayload, 'a batch array counts as a level');
  assert.is((batch as OversizePayload).id, null);
  assert.instance(parseJson(`{"jsonrpc":"2.0","id":5,"method":"x","params":{"a":${'['.repeat(7)}${']'.repeat(7)}}}`, 8), OversizePayload, 'arrays count as levels too');
});

parse('a response passes whatever its depth (it settles our own request); a deep notification has no id to answer', () => {
  const text = `{"jsonrpc":"2.0","id":4,"result":${nested(9)}}`;
  assert.equal(parseJson(text, 8), JSON.parse(text));
  const notification = parseJson(`{"jsonrpc":"2.0","method":"notifications/x","params":${nested(9)}}`, 8) as OversizePayload;
  assert.instance(notification, OversizePayload);
  assert.is(notification.id, null);
});

parse('the default is 512: 20 000 levels are refused, 500 are not', () => {
  assert.is(DEFAULT_MAX_JSON_DEPTH, 512);
  const request = (levels: number) => `{"jsonrpc":"2.0","id":1,"method":"x","params":${nested(levels)}}`;
  assert.instance(parseJson(request(20_000)), OversizePayload);
  assert.not.instance(parseJson(request(500)), OversizePayload);
});

const http = suite('HTTP server: maxJsonDepth');

http('a legacy initialize with capabilities 20 000 levels deep gets 400 and -32600 with its id; the server goes on', async () => {
  const f = makeFixture();
  try {
    const res = await f.post(initializeWith(20_000));
    assert.is(res.status, 400);
    const body = await res.json() as { id: number; error: { code: number; message: string } };
    assert.is(body.id, 7);
    assert.is(body.error.code, -32600);
    assert.match(body.error.message, /deeper than 512 levels \(maxJsonDepth\)/);
    assert.ok(await f.initialize(), 'a normal initialize still works');
  } finally {
    await f.close();
  }
});

http('in a session, a deep tools/call is refused with its id; a lower limit applies as set', async () => {
  const f = makeFixture({ maxJsonDepth: 16, responseMode: 'json' });
  try {
    const sid = await f.initialize();
    const headers = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    const deep = await f.post(`{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x","extra":${nested(14)}}}}`, headers);
    assert.is(deep.status, 400);
    assert.equal(await deep.json(), {
      jsonrpc: '2.0', id: 9, error: { code: -32600, message: 'Invalid Request: the message nests objects and arrays deeper than 16 levels (maxJsonDepth)' },
    });
    const ok = await f.post({ jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 'echo', arguments: { text: 'still here' } } }, headers);
    assert.is(ok.status, 200);
    assert.match(await ok.text(), /still here/);
  } finally {
    await f.close();
  }
});

http('a bad maxJsonDepth is a RangeError naming it', () => {
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => createMcpHttpHandler(createServer({ name: 's', version: '1' }), { maxJsonDepth: bad }), (e: Error) => e instanceof RangeError && /maxJsonDepth/.test(e.message));
  }
});

http('a 2026-07-28 POST nested too deep gets 400 and -32600 with its id', async () => {
  const handler = createMcpHttpHandler(testServer());
  try {
    const message = modernRequest('tools/call', { name: 'echo', arguments: { text: 'x' } });
    const text = JSON.stringify(message).replace('"text":"x"', `"text":"x","deep":${nested(600)}`);
    const res = await handler.handle(new Request('http://127.0.0.1/mcp', {
      method: 'POST', body: text,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': VERSION, 'mcp-method': 'tools/call', 'mcp-name': 'echo' },
    }));
    assert.is(res.status, 400);
    const body = await res.json() as { id: string; error: { code: number; message: string } };
    assert.is(body.id, message.id);
    assert.is(body.error.code, -32600);
    assert.match(body.error.message, /maxJsonDepth/);
  } finally {
    await handler.close();
  }
});

const stdio = suite('stdio server: maxJsonDepth');

stdio('a deep request is answered -32600 with its id, and the next line is served', async () => {
  const server = createServer({ name: 'deep', version: '1' });
  const { stdin, line: nextLine } = await stdioLines(server);
  stdin.write(`${initializeWith(20_000)}\n`);
  const refused = await nextLine(1);
  assert.is(refused.id, 7);
  assert.is(refused.error?.code, -32600);
  assert.match(refused.error?.message ?? '', /maxJsonDepth/);
  stdin.write(`${initializeWith(3)}\n`);
  const served = await nextLine(2);
  assert.is(served.id, 7);
  assert.ok(served.result, 'the shallow initialize is answered');
  stdin.end();
  await server.close();
});

parse.run();
http.run();
stdio.run();

const clients = suite('client transports: maxJsonDepth');

clients('a stdio server\'s request nested too deep reaches the client as an OversizePayload with its id; a shallow one as itself', async () => {
  // The child writes two server-to-client requests, then waits for stdin to end.
  const script = `const n = (k) => '{"a":'.repeat(k) + '1' + '}'.repeat(k);
process.stdout.write('{"jsonrpc":"2.0","id":"deep","method":"elicitation/create","params":' + n(40) + '}\\n');
process.stdout.write('{"jsonrpc":"2.0","id":"flat","method":"ping"}\\n');
process.stdin.resume();`;
  const transport = createStdioClientTransport({ command: process.execPath, args: ['-e', script], maxJsonDepth: 16, stderr: 'ignore' });
  const received: unknown[] = [];
  let wake: (() => void) | undefined;
  await transport.start({
    onMessage: (value) => { received.push(value); wake?.(); },
    onError: () => {}, onClose: () => {},
  });
  while (received.length < 2) await new Promise<void>((resolve) => { wake = resolve; });
  assert.instance(received[0], OversizePayload);
  assert.is((received[0] as OversizePayload).id, 'deep');
  assert.equal(received[1], { jsonrpc: '2.0', id: 'flat', method: 'ping' });
  await transport.close();
});

clients('a bad maxJsonDepth is a RangeError naming it, for both client transports', () => {
  assert.throws(() => createStdioClientTransport({ command: process.execPath, maxJsonDepth: 0 }), (e: Error) => e instanceof RangeError && /maxJsonDepth/.test(e.message));
  assert.throws(() => createHttpClientTransport({ url: 'http://127.0.0.1:1/mcp', maxJsonDepth: -3 }), (e: Error) => e instanceof RangeError && /maxJsonDepth/.test(e.message));
});

clients.run();
