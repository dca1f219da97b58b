// The 2026-07-28 Streamable HTTP path, in process (the handler's fetch face): stateless
// POSTs beside 2025 sessions on one endpoint, the Mcp-* headers, SSE only for a request's own
// notifications, cancellation by closing the stream, and the modern-only mode.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, type McpHttpHandler } from '../server/index.ts';
import { createMessageValidator } from '../conformance/index.ts';
import { META } from '../server/modern/envelope.ts';
import { envelope, testServer } from './modern-kit.ts';

const URL_ = 'http://127.0.0.1/mcp';
const VERSION = '2026-07-28';

interface Sent { status: number; headers: Headers; body: any; events: any[]; raw: string }

function headersFor(method: string, name?: string, extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = {
    'content-type': 'application/json', accept: 'application/json, text/event-stream',
    'mcp-protocol-version': VERSION, 'mcp-method': method, ...extra,
  };
  if (name !== undefined) h['mcp-name'] = name;
  return h;
}

let ids = 0;
function body(method: string, params: Record<string, unknown> = {}, meta: Record<string, unknown> = {}, caps: Record<string, unknown> = {}) {
  return { jsonrpc: '2.0', id: `h-${++ids}`, method, params: { ...params, _meta: envelope(caps, meta) } };
}

async function post(handler: McpHttpHandler, message: unknown, headers: Record<string, string>): Promise<Sent> {
  const res = await handler.handle(new Request(URL_, { method: 'POST', headers, body: JSON.stringify(message) }));
  const raw = await res.text();
  const isSse = res.headers.get('content-type')?.startsWith('text/event-stream');
  const events = isSse ? raw.split('\n\n').filter((b) => /^data: *\S/m.test(b)).map((b) => JSON.parse(b.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n'))) : [];
  return { status: res.status, headers: res.headers, body: raw && !isSse ? JSON.parse(raw) : undefined, events, raw };
}

function handler(eras?: 'both' | 'modern'): McpHttpHandler {
  const server = testServer();
  server.tool({ name: 'wait_for_cancel', description: 'Reports progress, then waits until cancelled.' }, async (_args, ctx) => {
    await ctx.progress(1);
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    cancelled.push(String(ctx.requestId));
    return 'cancelled';
  });
  return createMcpHttpHandler(server, { disableHostChecks: true, ...(eras ? { eras } : {}) });
}
const cancelled: string[] = [];

function valid(messages: unknown[], request: unknown): void {
  const v = createMessageValidator(VERSION);
  const found = v.validate(request, 'client-to-server');
  for (const m of messages) found.push(...v.validate(m, 'server-to-client'));
  assert.is(found.length, 0, found.map((x) => `${x.definition}: ${x.message}`).join('\n'));
}

const Both = suite('2026-07-28 HTTP: both eras on one endpoint');

Both('a POST carrying the modern _meta is answered statelessly in JSON, without a session id', async () => {
  const h = handler();
  const message = body('tools/call', { name: 'echo', arguments: { text: 'hi' } });
  const sent = await post(h, message, headersFor('tools/call', 'echo'));
  assert.is(sent.status, 200);
  assert.is(sent.headers.get('mcp-session-id'), null);
  assert.is(sent.body.id, message.id);
  assert.is(sent.body.result.resultType, 'complete');
  valid([sent.body], message);
  assert.is(h.sessionCount, 0);
  await h.close();
});

Both('initialize still starts a 2025 session on the same endpoint', async () => {
  const h = handler();
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'old', version: '1' } } };
  const sent = await post(h, init, { 'content-type': 'application/json', accept: 'application/json, text/event-stream' });
  assert.is(sent.status, 200);
  assert.ok(sent.headers.get('mcp-session-id'), 'a session id');
  assert.is(sent.events[0]?.result?.protocolVersion, '2025-11-25');
  assert.is(h.sessionCount, 1);
  await h.close();
});

Both('progress and logs make the answer SSE: notifications first, the response last, no event ids', async () => {
  const h = handler();
  const message = body('tools/call', { name: 'noisy' }, { progressToken: 'tok', [META.logLevel]: 'debug' });
  const sent = await post(h, message, headersFor('tools/call', 'noisy'));
  assert.is(sent.status, 200);
  assert.is(sent.headers.get('x-accel-buffering'), 'no');
  assert.equal(sent.events.map((e) => e.method ?? 'response'), ['notifications/message', 'notifications/progress', 'notifications/progress', 'response']);
  assert.not.match(sent.raw, /^id:/m);
  valid(sent.events, message);
  await h.close();
});

Both('a notification is accepted with 202', async () => {
  const h = handler();
  const sent = await post(h, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'x', _meta: envelope() } }, headersFor('notifications/cancelled'));
  assert.is(sent.status, 202);
  await h.close();
});

Both('an unknown or removed method is 404 with -32601 echoing the id', async () => {
  const h = handler();
  for (const method of ['ping', 'initialize', 'logging/setLevel']) {
    const message = body(method);
    const sent = await post(h, message, headersFor(method));
    assert.is(sent.status, 404, method);
    assert.is(sent.body.error.code, -32601, method);
    assert.is(sent.body.id, message.id, method);
  }
  await h.close();
});

Both('a bad Origin is 403, a batch 400, an oversized body 413, on the stateless path too', async () => {
  const server = testServer();
  const h = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'], maxBodyBytes: 2048 });
  const headers = { ...headersFor('tools/list'), host: '127.0.0.1:3000' };
  assert.is((await post(h, body('tools/list'), { ...headers, origin: 'http://evil.example.com' })).status, 403);
  const batch = await post(h, [body('tools/list'), body('tools/list')], headers);
  assert.is(batch.status, 400);
  assert.is(batch.body.error.code, -32600);
  const big = body('tools/call', { name: 'echo', arguments: { text: 'x'.repeat(4096) } });
  assert.is((await post(h, big, { ...headers, 'mcp-method': 'tools/call', 'mcp-name': 'echo' })).status, 413);
  const bigNoHeader: Record<string, string> = { ...headers };
  delete bigNoHeader['mcp-protocol-version'];
  assert.is((await post(h, big, bigNoHeader)).status, 413, 'the era is read within the body limit');
  assert.is((await post(h, body('tools/list'), headers)).status, 200);
  await h.close();
});

const Headers_ = suite('2026-07-28 HTTP: Mcp-* headers against the body');

Headers_('MCP-Protocol-Version must equal the _meta version', async () => {
  const h = handler();
  const message = body('tools/list');
  const sent = await post(h, message, headersFor('tools/list', undefined, { 'mcp-protocol-version': '2025-11-25' }));
  assert.is(sent.status, 400);
  assert.is(sent.body.error.code, -32020);
  assert.is(sent.body.id, message.id);
  await h.close();
});

Headers_('Mcp-Method and Mcp-Name must match; Mcp-Name is required for tools/call', async () => {
  const h = handler();
  const call = () => body('tools/call', { name: 'echo' });
  for (const headers of [headersFor('tools/list', 'echo'), headersFor('tools/call', 'other'), headersFor('tools/call'), headersFor('Tools/Call', 'echo')]) {
    const sent = await post(h, call(), headers);
    assert.is(sent.status, 400, JSON.stringify(headers));
    assert.is(sent.body.error.code, -32020);
  }
  const noMethod = headersFor('tools/call', 'echo');
  delete noMethod['mcp-method'];
  assert.is((await post(h, call(), noMethod)).body.error.code, -32020);
  await h.close();
});

Headers_('a =?base64?...?= Mcp-Name is decoded before the comparison; surrounding whitespace is allowed', async () => {
  const h = handler();
  const b64 = `=?base64?${btoa('echo')}?=`;
  assert.is((await post(h, body('tools/call', { name: 'echo' }), headersFor('tools/call', b64))).status, 200);
  assert.is((await post(h, body('tools/call', { name: 'echo' }), headersFor(' tools/call ', ' echo '))).status, 200);
  assert.is((await post(h, body('tools/call', { name: 'echo' }), headersFor('tools/call', '=?base64?!!!?='))).body.error.code, -32020);
  await h.close();
});

const Cancel = suite('2026-07-28 HTTP: cancellation by closing the stream');

Cancel('closing the SSE response aborts the handler', async () => {
  const h = handler();
  const message = body('tools/call', { name: 'wait_for_cancel' }, { progressToken: 1 });
  const res = await h.handle(new Request(URL_, { method: 'POST', headers: headersFor('tools/call', 'wait_for_cancel'), body: JSON.stringify(message) }));
  assert.is(res.headers.get('content-type'), 'text/event-stream');
  const reader = res.body!.getReader();
  const first = await reader.read();
  assert.match(new TextDecoder().decode(first.value), /notifications\/progress/);
  await reader.cancel();
  for (let i = 0; i < 50 && !cancelled.includes(message.id); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cancelled.includes(message.id), 'the handler saw its signal abort');
  await h.close();
});

Cancel('a quiet stream gets keep-alive comments, and no event ids', async () => {
  let now = 0;
  const pending: Array<{ fn: () => void; at: number }> = [];
  const timers = {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => { const t = { fn, at: now + ms }; pending.push(t); return t; },
    clearTimeout: (t: unknown) => { const i = pending.indexOf(t as never); if (i >= 0) pending.splice(i, 1); },
  };
  const server = testServer();
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  server.tool({ name: 'quiet', description: 'Reports progress, then waits.' }, async (_a, ctx) => {
    await ctx.progress(1);
    await held;
    return 'done';
  });
  const h = createMcpHttpHandler(server, { disableHostChecks: true, keepAliveMs: 1000, timers });
  const message = body('tools/call', { name: 'quiet' }, { progressToken: 'q' });
  const res = await h.handle(new Request(URL_, { method: 'POST', headers: headersFor('tools/call', 'quiet'), body: JSON.stringify(message) }));
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = decoder.decode((await reader.read()).value);
  now = 2000;
  for (const t of pending.splice(0).filter((p) => p.at <= now)) t.fn();
  text += decoder.decode((await reader.read()).value);
  assert.match(text, /^: keep-alive$/m);
  release();
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value);
  }
  assert.match(text, /"result"/);
  assert.not.match(text, /^id:/m);
  await h.close();
});

const ModernOnly = suite('2026-07-28 HTTP: modern-only mode');

ModernOnly('GET and DELETE get 405; a legacy initialize learns the supported versions', async () => {
  const h = handler('modern');
  for (const method of ['GET', 'DELETE']) {
    const res = await h.handle(new Request(URL_, { method, headers: { accept: 'text/event-stream', 'mcp-session-id': 'abc' } }));
    assert.is(res.status, 405, method);
    await res.text();
  }
  const init = { jsonrpc: '2.0', id: 9, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'old', version: '1' } } };
  const sent = await post(h, init, { 'content-type': 'application/json', accept: 'application/json, text/event-stream' });
  assert.is(sent.status, 400);
  assert.is(sent.body.error.code, -32022);
  assert.equal(sent.body.error.data.supported, [VERSION]);
  assert.is(sent.headers.get('mcp-session-id'), null);
  await h.close();
});

ModernOnly('Last-Event-ID is ignored: the POST is served afresh, a GET that asks to resume is 405', async () => {
  // 2026-07-28 basic/transports/streamable-http: no resumption; a lost request is re-issued with a new id (changelog).
  const h = handler('modern');
  const message = body('tools/call', { name: 'echo', arguments: { text: 'again' } });
  const sent = await post(h, message, headersFor('tools/call', 'echo', { 'last-event-id': 'old-stream:7', 'mcp-session-id': 'gone' }));
  assert.is(sent.status, 200);
  assert.is(sent.body.id, message.id);
  assert.equal(sent.body.result.content, [{ type: 'text', text: 'echo: again' }]);
  assert.is(sent.headers.get('mcp-session-id'), null);
  const resume = await h.handle(new Request(URL_, { method: 'GET', headers: { accept: 'text/event-stream', 'last-event-id': 'old-stream:7' } }));
  assert.is(resume.status, 405);
  assert.is(resume.headers.get('allow'), 'POST');
  await resume.text();
  assert.is(h.sessionCount, 0);
  await h.close();
});

for (const s of [Both, Headers_, Cancel, ModernOnly]) s.run();
