// `mcpwire trace --target URL` between the official SDK 1.x client and server over Streamable
// HTTP (issue #21): every message once, in order, paired (progress and an elicitation tied
// to their calls), and the bytes each side sent are the bytes the other side got.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { createServer as createNodeServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client as SdkClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server as SdkServer } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ElicitRequestSchema, ElicitResultSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Server as Sdk2Server, createMcpHandler, inputRequired, acceptedContent } from '@modelcontextprotocol/server';
import { Client as Sdk2Client, StreamableHTTPClientTransport as Sdk2HttpClient } from '@modelcontextprotocol/client';
import { listen } from 'mcpwire/transport';
import { TraceCorrelator, traceHttp, type TraceRecord } from 'mcpwire/conformance';

/** What one side sent and got: request bodies (POST) and response bodies, as text. */
interface Wire { sent: string[]; got: string[] }

function sdkServer(): SdkServer {
  const server = new SdkServer({ name: 'sdk-http', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: 'count', inputSchema: { type: 'object' } }, { name: 'ask', inputSchema: { type: 'object' } }] }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });
    if (request.params.name === 'count') {
      const progressToken = request.params._meta?.progressToken;
      for (let i = 1; i <= 3; i++) if (progressToken !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: i, total: 3 } });
      return text('counted to 3');
    }
    const reply = await extra.sendRequest({ method: 'elicitation/create', params: { mode: 'form', message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } } }, ElicitResultSchema);
    return text(`hello ${String(reply.content?.name)}`);
  });
  return server;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The SDK's stateful HTTP server, recording each body it got and each response it wrote. */
async function startServer(wire: Wire) {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http = createNodeServer((req, res) => {
    void (async () => {
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      if (body !== undefined) wire.got.push(body);
      const parts: Buffer[] = [];
      const write = res.write.bind(res);
      const end = res.end.bind(res);
      res.write = ((chunk: unknown, ...rest: unknown[]) => { if (chunk) parts.push(Buffer.from(chunk as string)); return (write as (...a: unknown[]) => boolean)(chunk, ...rest); }) as typeof res.write;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        if (chunk && typeof chunk !== 'function') parts.push(Buffer.from(chunk as string));
        wire.sent.push(Buffer.concat(parts).toString('utf8'));
        return (end as (...a: unknown[]) => typeof res)(chunk, ...rest);
      }) as typeof res.end;
      const id = req.headers['mcp-session-id'];
      let transport = typeof id === 'string' ? sessions.get(id) : undefined;
      if (!transport) {
        const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => void sessions.set(sid, created) });
        transport = created;
        await sdkServer().connect(created);
      }
      await transport.handleRequest(req, res, body === undefined ? undefined : JSON.parse(body));
    })().catch(() => { if (!res.headersSent) res.writeHead(500).end(); });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    close: async () => {
      for (const t of sessions.values()) await t.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

interface Read { take(): void }

/**
 * A fetch for the SDK client that records each POST body and each response body, read from
 * a clone as it comes (eagerly: a chunk is in `text` the turn it arrives). A clone whose
 * original the client cancelled may never end, so the text is taken once all is closed.
 */
function recordingFetch(wire: Wire, reads: Read[]): typeof fetch {
  return async (input, init) => {
    if (typeof init?.body === 'string') wire.sent.push(init.body);
    return recordResponse(await fetch(input, init), wire.got, reads);
  };
}

/** Read a clone of `res` eagerly; its text goes into `into` when taken. */
function recordResponse(res: Response, into: string[], reads: Read[]): Response {
  const reader = res.clone().body?.getReader();
  if (!reader) {
    into.push('');
    return res;
  }
  const decoder = new TextDecoder();
  let text = '';
  void (async () => {
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += decoder.decode(r.value, { stream: true });
    } catch { /* the stream was aborted: what came before counts */ }
  })();
  reads.push({ take: () => { into.push(text); void reader.cancel().catch(() => {}); } });
  return res;
}

/** The JSON-RPC messages in bodies: JSON (one or a batch) or the data of SSE events. */
function messagesIn(bodies: readonly string[]): unknown[] {
  return bodies.flatMap((b) => {
    if (b.trim() === '') return [];
    if (b.trimStart().startsWith('{') || b.trimStart().startsWith('[')) return [JSON.parse(b)].flat();
    return b.split('\n').filter((l) => l.startsWith('data:') && l.slice(5).trim() !== '').map((l) => JSON.parse(l.slice(5)));
  });
}

const sorted = (list: readonly string[]) => [...list].sort();

const sdk = suite('mcpwire trace over HTTP: the official SDK 1.x client and server');

sdk('progress and an elicitation: each message once, in order, paired; the bytes on both sides identical', async () => {
  const clientWire: Wire = { sent: [], got: [] };
  const serverWire: Wire = { sent: [], got: [] };
  const reads: Read[] = [];
  const server = await startServer(serverWire);
  const records: TraceRecord[] = [];
  const trace = await traceHttp({ target: server.url, correlator: new TraceCorrelator((r) => records.push(r)) });
  try {
    const client = new SdkClient({ name: 'sdk-client', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada' } }));
    const transport = new StreamableHTTPClientTransport(new URL(trace.url), { fetch: recordingFetch(clientWire, reads) });
    await client.connect(transport);
    try {
      const counted = await client.callTool({ name: 'count', arguments: {} }, undefined, { onprogress: () => {} });
      const asked = await client.callTool({ name: 'ask', arguments: {} });
      assert.equal(counted.content, [{ type: 'text', text: 'counted to 3' }]);
      assert.equal(asked.content, [{ type: 'text', text: 'hello Ada' }]);
      await transport.terminateSession(); // DELETE
    } finally {
      await client.close();
    }
  } finally {
    await server.close();
    await trace.close();
    for (const r of reads) r.take();
  }
  assert.equal(sorted(serverWire.got), sorted(clientWire.sent), 'the server got the bodies the client sent, byte for byte');
  assert.equal(sorted(clientWire.got), sorted(serverWire.sent), 'the client got the bodies the server wrote, byte for byte');

  const messages = records.filter((r) => r.kind !== 'http');
  const onWire = [...messagesIn(clientWire.sent), ...messagesIn(serverWire.sent)];
  assert.is(messages.length, onWire.length, 'every message on the wire traced once');
  assert.equal(sorted(messages.map((r) => JSON.stringify(r.message))), sorted(onWire.map((m) => JSON.stringify(m))));
  assert.equal(messages.flatMap((r) => r.findings), [], 'nothing flagged');
  assert.ok(messages.every((r) => r.era === 'legacy' && r.version === '2025-11-25'));
  for (const request of messages.filter((r) => r.kind === 'request')) {
    const answers = messages.filter((r) => r.kind === 'response' && r.id === request.id && r.direction !== request.direction);
    assert.is(answers.length, 1, `${request.method} ${String(request.id)} answered once`);
    assert.is(answers[0]!.answers, request.method);
    assert.ok(answers[0]!.seq > request.seq, 'after its request');
  }
  const calls = messages.filter((r) => r.method === 'tools/call');
  const progress = messages.filter((r) => r.method === 'notifications/progress');
  assert.equal(progress.map((p) => (p.message as { params: { progress: number } }).params.progress), [1, 2, 3], 'in order');
  assert.ok(progress.every((p) => p.call === calls[0]!.id && p.http?.exchange === calls[0]!.http?.exchange), 'on the first call\'s stream, tied to it');
  const question = messages.find((r) => r.method === 'elicitation/create')!;
  assert.is(question.call, calls[1]!.id, 'the elicitation belongs to the second call');
  assert.is(question.http?.exchange, calls[1]!.http?.exchange, 'on that call\'s stream');
  assert.equal(messages.filter((r) => r.answers === 'tools/call').map((r) => r.id), calls.map((c) => c.id), 'each call answered once, in order');
  assert.ok(records.some((r) => r.kind === 'http' && r.http?.method === 'DELETE'), 'the session\'s end is shown');
});

sdk.run();

const NAME_SCHEMA = { type: 'object' as const, properties: { name: { type: 'string' as const } }, required: ['name'] };

function sdk2Server(): Sdk2Server {
  const server = new Sdk2Server({ name: 'sdk2-modern', version: '2.4.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', async () => ({ tools: [{ name: 'count', inputSchema: { type: 'object' as const } }, { name: 'greet', inputSchema: { type: 'object' as const } }] }));
  server.setRequestHandler('tools/call', async (request, ctx) => {
    if (request.params.name === 'count') {
      const token = request.params._meta?.progressToken;
      for (const progress of [1, 2, 3]) if (token !== undefined) await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress, total: 3 } });
      return { content: [{ type: 'text' as const, text: 'counted' }] };
    }
    const answer = acceptedContent<{ name: string }>(ctx.mcpReq.inputResponses, 'who');
    if (!answer) return inputRequired({ inputRequests: { who: inputRequired.elicit({ message: 'Who?', requestedSchema: NAME_SCHEMA }) }, requestState: 'sdk-state' }) as never;
    return { content: [{ type: 'text' as const, text: `hello ${answer.name}` }] };
  });
  return server;
}

const sdk2 = suite('mcpwire trace over HTTP: the official SDK 2.4 client and server, 2026-07-28');

sdk2('stateless calls, progress, an input round and its retry: each message once, paired; bytes identical on both sides', async () => {
  const clientWire: Wire = { sent: [], got: [] };
  const serverWire: Wire = { sent: [], got: [] };
  const reads: Read[] = [];
  const handler = createMcpHandler(() => sdk2Server(), { legacy: 'reject', keepAliveMs: 0 });
  const listening = await listen(async (request) => {
    if (request.method === 'POST') serverWire.got.push(await request.clone().text());
    return recordResponse(await handler.fetch(request), serverWire.sent, reads);
  }, { port: 0 });
  const records: TraceRecord[] = [];
  const trace = await traceHttp({ target: `http://127.0.0.1:${listening.port}/mcp`, correlator: new TraceCorrelator((r) => records.push(r)) });
  try {
    const client = new Sdk2Client({ name: 'sdk-client', version: '2.4.0' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
    client.setRequestHandler('elicitation/create', async () => ({ action: 'accept' as const, content: { name: 'Grace' } }));
    await client.connect(new Sdk2HttpClient(new URL(trace.url), { fetch: recordingFetch(clientWire, reads) }));
    try {
      const progress: number[] = [];
      const counted = await client.callTool({ name: 'count', arguments: {} }, { onprogress: (p: { progress: number }) => progress.push(p.progress) });
      assert.equal(counted.content, [{ type: 'text', text: 'counted' }]);
      assert.equal(progress, [1, 2, 3]);
      assert.equal((await client.callTool({ name: 'greet', arguments: {} })).content, [{ type: 'text', text: 'hello Grace' }]);
    } finally {
      await client.close();
    }
  } finally {
    await trace.close();
    await handler.close();
    await listening.close();
    for (const r of reads) r.take();
  }
  assert.equal(sorted(serverWire.got), sorted(clientWire.sent), 'the server got the bodies the client sent, byte for byte');
  assert.equal(sorted(clientWire.got), sorted(serverWire.sent), 'the client got the bodies the server wrote, byte for byte');
  const messages = records.filter((r) => r.kind !== 'http');
  const onWire = [...messagesIn(clientWire.sent), ...messagesIn(serverWire.sent)];
  assert.equal(sorted(messages.map((r) => JSON.stringify(r.message))), sorted(onWire.map((m) => JSON.stringify(m))), 'every message on the wire traced once');
  assert.equal(messages.flatMap((r) => r.findings), [], 'nothing flagged');
  assert.ok(messages.every((r) => r.era === 'modern' && r.version === '2026-07-28'));
  for (const request of messages.filter((r) => r.kind === 'request')) {
    const answers = messages.filter((r) => r.kind === 'response' && r.id === request.id && r.direction !== request.direction);
    assert.is(answers.length, 1, `${request.method} ${String(request.id)} answered once`);
    assert.is(answers[0]!.answers, request.method);
  }
  const calls = messages.filter((r) => r.method === 'tools/call');
  const count = calls.find((r) => (r.message as { params: { name: string } }).params.name === 'count')!;
  assert.ok(messages.filter((r) => r.method === 'notifications/progress').every((p) => p.call === count.id), 'progress tied to its call');
  const greets = calls.filter((r) => (r.message as { params: { name: string } }).params.name === 'greet');
  assert.is(greets.length, 2, 'the call and its retry');
  assert.match(messages.find((r) => r.kind === 'response' && r.id === greets[0]!.id)!.explain, /needs input before it can answer \(round 1\)/);
  assert.match(greets[1]!.explain, /^retries tools\/call with 1 input response and the requestState echoed \(round 2/);
});

sdk2.run();
