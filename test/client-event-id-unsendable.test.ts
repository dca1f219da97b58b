// An SSE event id the client could never send back: Last-Event-ID is an HTTP field, whose
// value holds visible ASCII, spaces and tabs (not at either end) and obs-text (RFC 9110
// §5.5); an id with a control character or a character past U+00FF cannot go in it.
// Before, the cut stream was "resumed" with a GET that failed locally on every attempt,
// silently, until the call's timeout; now the stream is known not to be resumable, and the
// call fails at once with an error naming the id.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport } from '../client/index.ts';
import { bodyOf } from './json-body.ts';

const INIT = { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'odd', version: '1' } };

/** A server whose tools/call stream sends one event with id `id`, then is cut; GETs are counted. */
async function startOdd(id: string): Promise<{ url: string; readonly gets: number; close(): Promise<void> }> {
  let gets = 0;
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'GET') {
      gets++;
      return void res.writeHead(400).end();
    }
    if (req.method !== 'POST') return void res.writeHead(200).end();
    const message = await bodyOf(req);
    if (message.method === 'initialize') return void res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: INIT }));
    if (message.method !== 'tools/call') return void res.writeHead(202).end();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`id: ${id}\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"hi"}}\n\n`);
    setTimeout(() => res.destroy(), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    get gets() { return gets; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const test = suite('HTTP client: an event id that cannot be sent back in Last-Event-ID');

for (const [what, id] of [['a control character', 'a\u0007b'], ['a character past U+00FF', 'id-€'], ['a trailing tab', 'x\t']] as const) {
  test(`${what}: the cut call fails at once, naming the id, and no GET is tried`, async () => {
    const odd = await startOdd(id);
    const errors: Error[] = [];
    const client = createClient({ name: 't', version: '1' }, { onError: (e) => errors.push(e) });
    try {
      await client.connect(createHttpClientTransport({ url: odd.url, openStandaloneStream: false }));
      const started = Date.now();
      const failure = await client.callTool('x', {}, { timeoutMs: 20_000 }).then(() => undefined, (e: unknown) => e as Error & { code?: string });
      assert.ok(failure, 'the call failed');
      assert.is.not(failure!.code, 'MCP_ERR_TIMEOUT', failure!.message);
      assert.ok(Date.now() - started < 5_000, `failed after ${Date.now() - started} ms`);
      assert.match(failure!.message, /Last-Event-ID/);
      assert.is(odd.gets, 0);
    } finally {
      await client.close();
      await odd.close();
    }
  });
}

test('visible ASCII, spaces inside and obs-text (U+0080..U+00FF) are sendable: the stream is resumed with a GET', async () => {
  const odd = await startOdd('ok id é');
  const client = createClient({ name: 't', version: '1' }, { onError: () => {} });
  try {
    await client.connect(createHttpClientTransport({ url: odd.url, openStandaloneStream: false }));
    const failure = await client.callTool('x', {}, { timeoutMs: 20_000 }).then(() => undefined, (e: unknown) => e as Error);
    assert.ok(failure, 'the resume is refused (400), so the call fails');
    assert.ok(odd.gets >= 1, 'a GET was sent');
  } finally {
    await client.close();
    await odd.close();
  }
});

test.run();
