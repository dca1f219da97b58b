// The 2024-11-05 HTTP+SSE fallback against a server that floods requests on its stream: while
// answers wait their turn (`answerConcurrency`, `maxQueuedAnswers`), the client reads no more
// of the stream, as the Streamable HTTP client does (client-answer-flood.test.ts). Before, the
// legacy link read the stream at full speed: every answer past the queue was refused, one
// report each, and the requests read ahead piled up in the client.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, createHttpTransportCache } from '../client/index.ts';
import { bodyOf } from './json-body.ts';

interface Flood {
  url: string;
  /** Most answer POSTs the server had open at once. */
  readonly maxOpen: number;
  readonly answers: number;
  close(): Promise<void>;
}

const INIT = { protocolVersion: '2024-11-05', capabilities: { tools: {} }, serverInfo: { name: 'old-flood', version: '1' } };

/** An HTTP+SSE server whose tools/call sends `pings` pings on the stream, and answers the call once every ping was answered. */
async function startOldFlood(pings: number): Promise<Flood> {
  let open = 0;
  let maxOpen = 0;
  let answers = 0;
  let stream: ServerResponse | undefined;
  let finish: (() => void) | undefined;
  const server = createServer(async (req, res) => {
    if (req.method === 'GET') {
      stream = res;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: endpoint\ndata: /messages\n\n');
      return;
    }
    if (req.method !== 'POST' || req.url !== '/messages') return void res.writeHead(405).end();
    const message = await bodyOf(req);
    if (message.method === undefined) {
      // An answer: held a moment, so answers sent at once overlap here.
      open++;
      maxOpen = Math.max(maxOpen, open);
      await new Promise<void>((resolve) => setTimeout(resolve, 20));
      open--;
      answers++;
      res.writeHead(202).end('Accepted');
      if (answers === pings) finish?.();
      return;
    }
    res.writeHead(202).end('Accepted');
    const reply = (result: unknown) => stream!.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: message.id, result })}\n\n`);
    if (message.method === 'initialize') return void reply(INIT);
    if (message.method !== 'tools/call') return;
    for (let i = 0; i < pings; i++) stream!.write(`event: message\ndata: {"jsonrpc":"2.0","id":"q${i}","method":"ping"}\n\n`);
    finish = () => reply({ content: [{ type: 'text', text: 'done' }] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sse`,
    get maxOpen() { return maxOpen; },
    get answers() { return answers; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const test = suite('HTTP+SSE fallback: a server flooding requests on its stream');

test('answers waiting their turn hold the stream back: none is refused, however small maxQueuedAnswers', async () => {
  const flood = await startOldFlood(300);
  const errors: Error[] = [];
  const client = createClient({ name: 't', version: '1' }, { onError: (e) => errors.push(e) });
  try {
    await client.connect(createHttpClientTransport({ url: flood.url, legacySse: 'only', transportCache: createHttpTransportCache(), answerConcurrency: 2, maxQueuedAnswers: 20 }));
    const result = await client.callTool('x', {}, { timeoutMs: 20_000 });
    assert.match(JSON.stringify(result.content), /done/);
    assert.ok(flood.maxOpen <= 2, `${flood.maxOpen} answer POSTs open at once`);
    assert.is(flood.answers, 300);
    assert.equal(errors.map((e) => e.message), [], 'before, 278 answers were refused, each reported');
  } finally {
    await client.close();
    await flood.close();
  }
});

test.run();
