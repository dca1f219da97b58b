// A server that floods the client with requests on a call's stream (pings, questions) gets its
// answers through a bounded number of POSTs at once, the rest queued up to a bound, and while
// answers wait the client reads no more of the stream (backpressure): before, each answer opened
// its own connection at once, and 200 000 pings ran the client out of file descriptors (EMFILE),
// failing the call, with 7 000 sockets open; then the answers past the queue were refused, one
// report each (198 000).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport } from '../client/index.ts';
import { bodyOf } from './json-body.ts';

interface Flood {
  url: string;
  /** Most answer POSTs the server had open at once. */
  readonly maxOpen: number;
  readonly answers: number;
  close(): Promise<void>;
}

const INIT = { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'flood', version: '1' } };

/** A server whose tools/call sends `pings` ping requests first, and answers the call once `wanted` answers came. */
async function startFlood(pings: number, wanted: number): Promise<Flood> {
  let open = 0;
  let maxOpen = 0;
  let answers = 0;
  let finish: (() => void) | undefined;
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST') return void res.writeHead(req.method === 'DELETE' ? 200 : 405).end();
    const message = await bodyOf(req);
    if (message.method === 'initialize') return void res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: INIT }));
    if (message.method === undefined) {
      // An answer: held a moment, so answers sent at once overlap here.
      open++;
      maxOpen = Math.max(maxOpen, open);
      await new Promise<void>((resolve) => setTimeout(resolve, 20));
      open--;
      answers++;
      res.writeHead(202).end();
      if (answers === wanted) finish?.();
      return;
    }
    if (message.method !== 'tools/call') return void res.writeHead(202).end();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let i = 0; i < pings; i++) res.write(`data: {"jsonrpc":"2.0","id":"q${i}","method":"ping"}\n\n`);
    finish = () => res.end(`data: ${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: 'done' }] } })}\n\n`);
    if (answers >= wanted) finish();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    get maxOpen() { return maxOpen; },
    get answers() { return answers; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const test = suite('HTTP client: a server flooding requests on a call’s stream');

test('1 000 pings: at most answerConcurrency (default 16) answer POSTs at once, every one answered, the call completes', async () => {
  const flood = await startFlood(1_000, 1_000);
  const errors: Error[] = [];
  const client = createClient({ name: 't', version: '1' }, { onError: (e) => errors.push(e) });
  try {
    await client.connect(createHttpClientTransport({ url: flood.url, openStandaloneStream: false }));
    const result = await client.callTool('x', {}, { timeoutMs: 30_000 });
    assert.match(JSON.stringify(result.content), /done/);
    assert.is(flood.answers, 1_000);
    assert.ok(flood.maxOpen <= 16, `${flood.maxOpen} answer POSTs open at once`);
    assert.equal(errors.map((e) => e.message), []);
  } finally {
    await client.close();
    await flood.close();
  }
});

test('answers waiting their turn hold the stream back: none is refused, however small maxQueuedAnswers', async () => {
  const flood = await startFlood(300, 300);
  const errors: Error[] = [];
  const client = createClient({ name: 't', version: '1' }, { onError: (e) => errors.push(e) });
  try {
    await client.connect(createHttpClientTransport({ url: flood.url, openStandaloneStream: false, answerConcurrency: 2, maxQueuedAnswers: 20 }));
    const result = await client.callTool('x', {}, { timeoutMs: 30_000 });
    assert.match(JSON.stringify(result.content), /done/);
    assert.ok(flood.maxOpen <= 2, `${flood.maxOpen} answer POSTs open at once`);
    assert.is(flood.answers, 300);
    assert.equal(errors.map((e) => e.message), [], 'before, 278 answers were refused, each reported');
  } finally {
    await client.close();
    await flood.close();
  }
});

test('the options are checked', () => {
  assert.throws(() => createHttpClientTransport({ url: 'http://127.0.0.1:1/mcp', answerConcurrency: 0 }), /answerConcurrency/);
  assert.throws(() => createHttpClientTransport({ url: 'http://127.0.0.1:1/mcp', maxQueuedAnswers: -1 }), /maxQueuedAnswers/);
});

test.run();
