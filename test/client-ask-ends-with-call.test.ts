// A server's question (elicitation, sampling, roots) asked for one of the client's calls is
// moot once that call has ended: the callback's signal aborts even when the server never
// cancels its question (the Python SDK's server does not, when the client cancels the call),
// so a host's form closes with the call. The answer the callback still gives goes back to the
// server, which is never left waiting. The server here is a bare node:http one that asks and
// never cancels.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, createHttpClientTransport } from 'mcpwire/client';

interface Seen { bodies: Array<Record<string, unknown>>; onAnswer?: (result: unknown) => void }

/** `promise`, or a rejection naming `what` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function askingServer(seen: Seen): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST') return void res.writeHead(405).end();
    let text = '';
    req.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown> & { id?: unknown; method?: string };
      seen.bodies.push(body);
      if (body.id === 'q1' && 'result' in body) seen.onAnswer?.(body.result);
      if (body.method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'ask-session' });
        return void res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'asker', version: '1' } } }));
      }
      if (body.method === 'tools/call') {
        // The question goes on the call's own stream, and the call is never answered.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return void res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', id: 'q1', method: 'elicitation/create', params: { mode: 'form', message: 'Which seat?', requestedSchema: { type: 'object', properties: { seat: { type: 'string' } } } } })}\n\n`);
      }
      res.writeHead(202).end(); // notifications (cancelled included, ignored) and answers
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, server };
}

const ends = suite('client: a question asked for a call ends with the call');

ends('the call aborted by its caller: the open form\'s signal aborts, and its answer still reaches the server', async () => {
  const seen: Seen = { bodies: [] };
  const { url, server } = await askingServer(seen);
  let asked!: () => void;
  const askedOnce = new Promise<void>((resolve) => { asked = resolve; });
  let formAborted!: () => void;
  const aborted = new Promise<void>((resolve) => { formAborted = resolve; });
  const answer = new Promise<unknown>((resolve) => { seen.onAnswer = resolve; });
  const client = createClient({ name: 'asker-client', version: '1' }, {
    onElicit: (_params, ctx) => new Promise((resolve) => {
      asked();
      ctx.signal.addEventListener('abort', () => { formAborted(); resolve({ action: 'cancel' }); }, { once: true });
    }),
  });
  try {
    await client.connect(createHttpClientTransport({ url, openStandaloneStream: false }));
    const controller = new AbortController();
    const call = client.callTool('book', {}, { signal: controller.signal }).then(() => 'answered', (e: Error & { code?: string }) => e.code);
    await within(askedOnce, 5_000, 'the question reached onElicit');
    controller.abort();
    assert.is(await call, 'MCP_ERR_ABORTED');
    await within(aborted, 3_000, 'the form\'s signal aborted once its call was given up');
    assert.equal(await within(answer, 3_000, 'the server got the form\'s answer'), { action: 'cancel' });
    assert.ok(seen.bodies.some((b) => b.method === 'notifications/cancelled'), 'the call itself was cancelled');
  } finally {
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

ends.run();
