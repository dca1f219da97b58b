// `mcpwire trace --target URL` (issue #21): the HTTP tracer passes requests and responses
// through unchanged (bodies, statuses, MCP headers; SSE streamed), pairs what it sees, and
// shows a cut SSE stream and its resume as such. In process, on 127.0.0.1.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer as createNodeServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { defaultAllowedHosts, listen, type ExchangeServable } from 'mcpwire/transport';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { registerDemoTools } from 'mcpwire/examples';
import { TraceCorrelator, traceHttp, type TraceRecord } from 'mcpwire/conformance';
import { ACCEPT_BOTH, messagesOf, readEvents } from './http-fixture.ts';

async function demoServer() {
  const mcp = createServer({ name: 'demo', version: '1' });
  registerDemoTools(mcp);
  const ref: ExchangeServable = { exchange: () => Promise.reject(new Error('not ready')) };
  const listening = await listen(ref, { host: '127.0.0.1', port: 0 });
  const handler = createMcpHttpHandler(mcp, { allowedHosts: defaultAllowedHosts('127.0.0.1', listening.port), keepAliveMs: 0 });
  ref.exchange = handler.exchange;
  return { url: `http://127.0.0.1:${listening.port}/mcp`, close: async () => { await handler.close(); await listening.close(); } };
}

type Until = (check: (r: TraceRecord) => boolean) => Promise<void>;

async function traced<T>(target: string, fn: (url: string, records: TraceRecord[], until: Until) => Promise<T>): Promise<T> {
  const records: TraceRecord[] = [];
  const waiters = new Set<{ check: (r: TraceRecord) => boolean; done: () => void }>();
  const trace = await traceHttp({
    target, correlator: new TraceCorrelator((r) => {
      records.push(r);
      for (const w of waiters) if (w.check(r)) { waiters.delete(w); w.done(); }
    }),
  });
  // Resolves when the tracer records a matching message (it may observe after the client got it).
  const until: Until = (check) => {
    if (records.some(check)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the tracer did not record it within 5 s')), 5000);
      waiters.add({ check, done: () => { clearTimeout(timer); resolve(); } });
    });
  };
  try { return await fn(trace.url, records, until); } finally { await trace.close(); }
}

const http = suite('mcpwire trace over HTTP: mcpwire client and server');

http('a call with progress through the tracer: every message once, paired, tied to its call', async () => {
  const server = await demoServer();
  try {
    await traced(server.url, async (url, records) => {
      const client = createClient({ name: 't', version: '1' });
      await client.connect(createHttpClientTransport({ url }));
      const seen: number[] = [];
      const result = await client.callTool('count', { steps: 4 }, { onProgress: (p) => { seen.push(p.progress); } });
      await client.close();
      assert.equal(result.content, [{ type: 'text', text: 'counted to 4' }]);
      assert.equal(seen, [1, 2, 3, 4]);
      const messages = records.filter((r) => r.kind !== 'http');
      const call = messages.find((r) => r.method === 'tools/call')!;
      const progress = messages.filter((r) => r.method === 'notifications/progress');
      assert.is(progress.length, 4, 'each progress notification once');
      assert.ok(progress.every((p) => p.call === call.id && p.http?.exchange === call.http?.exchange), 'on the call\'s own POST stream, tied to it');
      const answers = messages.filter((r) => r.kind === 'response' && r.answers === 'tools/call');
      assert.is(answers.length, 1);
      assert.is(answers[0]!.id, call.id);
      assert.ok(messages.every((r) => r.version === '2025-11-25' && r.findings.length === 0), 'version known, nothing flagged');
      assert.ok(records.some((r) => r.kind === 'http' && r.http?.method === 'DELETE'), 'the session\'s DELETE is shown');
    });
  } finally {
    await server.close();
  }
});

http('a cut SSE stream and its resume with Last-Event-ID are shown as such; nothing is lost or doubled', async () => {
  const server = await demoServer();
  try {
    await traced(server.url, async (url, records, until) => {
      const post = (body: unknown, headers: Record<string, string> = {}) => fetch(url, {
        method: 'POST', body: JSON.stringify(body), headers: { accept: ACCEPT_BOTH, 'content-type': 'application/json', ...headers },
      });
      const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
      const sid = init.headers.get('mcp-session-id')!;
      await init.text();
      const session = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
      await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session)).text();
      const res = await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'count', arguments: { steps: 30, delayMs: 5 }, _meta: { progressToken: 'p' } } }, session);
      const first = await readEvents(res, 4); // priming + 3 progress, then the client cuts
      const rest = await readEvents(await fetch(url, { headers: { accept: 'text/event-stream', 'last-event-id': first.at(-1)!.id!, ...session } }));
      const progress = messagesOf([...first, ...rest]).filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress);
      assert.equal(progress, Array.from({ length: 30 }, (_, i) => i + 1), 'the client got every event once through the tracer');
      await until((r) => r.kind === 'response' && r.id === 1);
      const cut = records.find((r) => r.kind === 'http' && /the client closed the SSE stream before the server ended it/.test(r.explain));
      assert.ok(cut, 'the client\'s cut is shown');
      assert.is(cut!.http?.exchange, records.find((r) => r.method === 'tools/call')!.http?.exchange);
      assert.ok(records.some((r) => r.kind === 'http' && r.http?.method === 'GET' && /Last-Event-ID/.test(r.explain)), 'the resume is shown');
      // An event may go out on the cut stream after the client stopped reading; the resume
      // sends it again, and the tracer shows that copy as a replay.
      const tracedProgress = records.filter((r) => r.method === 'notifications/progress');
      const firsts = tracedProgress.filter((r) => !r.explain.startsWith('replayed'));
      assert.equal(firsts.map((r) => (r.message as { params: { progress: number } }).params.progress), progress, 'each event traced once, in order, besides replays');
      for (const again of tracedProgress.filter((r) => r.explain.startsWith('replayed'))) {
        assert.ok(firsts.some((r) => r.http?.eventId === again.http?.eventId && r.http?.exchange === cut!.http?.exchange), 'a replay repeats an event of the cut stream');
      }
      assert.ok(records.every((r) => r.findings.length === 0), 'no false findings from replays');
    });
  } finally {
    await server.close();
  }
});

http('the client closing its session (its GET stream, then DELETE) is a normal end, never shown as a cut', async () => {
  const server = await demoServer();
  try {
    await traced(server.url, async (url, records, until) => {
      const client = createClient({ name: 't', version: '1' });
      await client.connect(createHttpClientTransport({ url }));
      await until((r) => r.kind === 'http' && r.http?.method === 'GET');
      await client.callTool('count', { steps: 2 }, { onProgress: () => undefined });
      await client.close();
      await until((r) => r.kind === 'http' && r.http?.method === 'DELETE' && r.direction === 'server-to-client');
      const get = records.find((r) => r.kind === 'http' && r.http?.method === 'GET')!;
      await until((r) => r.kind === 'http' && r.direction === 'server-to-client' && r.http?.exchange === get.http?.exchange);
      const said = records.filter((r) => r.kind === 'http').map((r) => `${r.http?.method} #${r.http?.exchange}: ${r.explain}`).join('\n');
      assert.not.match(said, /cut/, said);
      const ends = records.filter((r) => r.kind === 'http' && r.direction === 'server-to-client' && r.http?.exchange === get.http?.exchange);
      assert.is(ends.length, 1, said);
      assert.match(ends[0]!.explain, /the client closed the SSE stream before the server ended it|ended with its session/);
    });
  } finally {
    await server.close();
  }
});

http.run();

const bytes = suite('mcpwire trace over HTTP: bytes and headers pass unchanged');

bytes('the target gets the client\'s body and MCP headers; the client gets the target\'s status, headers and body', async () => {
  const replyBody = '{ "jsonrpc" : "2.0", "id" : 7, "error" : {"code": -32600, "message": "nö"} }\n';
  let got: { body: string; headers: Record<string, string | string[] | undefined> } | undefined;
  const target = createNodeServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got = { body: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
      res.writeHead(409, { 'content-type': 'application/json', 'mcp-session-id': 'abc', 'x-custom': 'kept' });
      res.end(replyBody);
    });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  try {
    const sent = '{"jsonrpc":"2.0",  "id":7,"method":"tools/list"}  ';
    await traced(`http://127.0.0.1:${(target.address() as AddressInfo).port}/mcp`, async (url, records, until) => {
      const res = await fetch(url, { method: 'POST', body: sent, headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH, 'mcp-session-id': 'abc', 'mcp-protocol-version': '2025-11-25' } });
      assert.is(res.status, 409);
      assert.is(res.headers.get('x-custom'), 'kept');
      assert.is(res.headers.get('mcp-session-id'), 'abc');
      assert.is(await res.text(), replyBody);
      assert.is(got!.body, sent);
      assert.is(got!.headers['mcp-session-id'], 'abc');
      assert.is(got!.headers['mcp-protocol-version'], '2025-11-25');
      await until((r) => r.kind === 'error');
      assert.is(records.find((r) => r.kind === 'error')!.answers, 'tools/list');
    });
  } finally {
    await new Promise<void>((resolve) => target.close(() => resolve()));
  }
});

bytes.run();
