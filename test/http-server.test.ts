// Streamable HTTP server: every status code of 2025-11-25 basic/transports, each by a test,
// in process (Request objects straight into the handler).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryEventStore } from 'mcpwire/transport';
import { createManualTimers } from '../protocol/manual-timers.ts';
import { makeFixture, messagesOf, readEvents, type Fixture } from './http-fixture.ts';

const call = (id: number, name: string, args: Record<string, unknown>, progress = false) => ({
  jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, ...(progress ? { _meta: { progressToken: `p${id}` } } : {}) },
});
const session = (id: string, version = '2025-11-25') => ({ 'mcp-session-id': id, 'mcp-protocol-version': version });

async function withFixture(fn: (f: Fixture) => Promise<void>, options: Parameters<typeof makeFixture>[0] = {}): Promise<void> {
  const f = makeFixture(options);
  try { await fn(f); } finally { await f.close(); }
}

const ok = suite('http server: success paths');

ok('initialize answers over SSE with a visible-ASCII session id, a priming event and a retry hint', () => withFixture(async (f) => {
  const res = await f.post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  assert.is(res.status, 200);
  assert.is(res.headers.get('content-type'), 'text/event-stream');
  const id = res.headers.get('mcp-session-id')!;
  assert.ok(/^[\x21-\x7e]{32,}$/.test(id), id);
  let retry: number | undefined;
  const events = await readEvents(res, Number.POSITIVE_INFINITY, (ms) => { retry = ms; });
  assert.is(events[0]!.data, '', 'priming event first');
  assert.ok(events[0]!.id);
  assert.is(retry, 100, 'the default retry: a cut stream resumes after 100 ms, not 1 s (issue #20 item 4)');
  assert.is(messagesOf(events)[0]!.result.protocolVersion, '2025-11-25');
}));

ok('retryMs is sent as set, and a retryMs that is not a non-negative integer is refused when the handler is made', async () => {
  await withFixture(async (f) => {
    const res = await f.post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    let retry: number | undefined;
    await readEvents(res, Number.POSITIVE_INFINITY, (ms) => { retry = ms; });
    assert.is(retry, 2500);
  }, { retryMs: 2500 });
  for (const retryMs of [-1, 1.5, Number.NaN]) {
    assert.throws(() => makeFixture({ retryMs }), (e: Error) => e instanceof RangeError && /retryMs must be a non-negative integer/.test(e.message), String(retryMs));
  }
});

ok('notifications and responses are accepted with 202 and no body', () => withFixture(async (f) => {
  const sid = await f.initialize();
  const res = await f.post({ jsonrpc: '2.0', method: 'notifications/roots/list_changed' }, session(sid));
  assert.is(res.status, 202);
  assert.is(await res.text(), '');
}));

ok('a tool call streams progress then its response on the POST stream, which then ends', () => withFixture(async (f) => {
  const sid = await f.initialize();
  const res = await f.post(call(1, 'count', { steps: 3 }, true), session(sid));
  const messages = messagesOf(await readEvents(res));
  assert.equal(messages.map((m) => m.params?.progress ?? 'response'), [1, 2, 3, 'response']);
  assert.equal(messages[3]!.result.content, [{ type: 'text', text: 'counted to 3' }]);
}));

ok('JSON reply mode answers with one JSON body', () => withFixture(async (f) => {
  const sid = await f.initialize();
  const res = await f.post(call(1, 'echo', { text: 'x' }), session(sid));
  assert.is(res.headers.get('content-type'), 'application/json');
  assert.equal((await res.json() as any).result.content, [{ type: 'text', text: 'x' }]);
}, { responseMode: 'json' }));

ok('JSON reply mode switches to SSE when the handler sends progress, losing none', () => withFixture(async (f) => {
  const sid = await f.initialize();
  const res = await f.post(call(1, 'count', { steps: 5 }, true), session(sid));
  assert.is(res.headers.get('content-type'), 'text/event-stream');
  const messages = messagesOf(await readEvents(res));
  assert.equal(messages.map((m) => m.params?.progress ?? 'response'), [1, 2, 3, 4, 5, 'response']);
}, { responseMode: 'json' }));

ok('an elicitation made during a call travels on that call POST stream, and its answer completes the call', () => withFixture(async (f) => {
  const sid = await f.initialize();
  const res = await f.post(call(1, 'ask_user', { question: 'name?' }), session(sid));
  const reader = res.body!.getReader();
  let text = '';
  for (let i = 0; i < 100 && !text.includes('elicitation/create'); i++) text += new TextDecoder().decode((await reader.read()).value);
  const request = JSON.parse(text.split('\n').find((l) => l.includes('elicitation/create'))!.slice('data: '.length));
  const answer = await f.post({ jsonrpc: '2.0', id: request.id, result: { action: 'accept', content: { answer: 'Ada' } } }, session(sid));
  assert.is(answer.status, 202);
  for (let i = 0; i < 100 && !text.includes('"result":{"content"'); i++) text += new TextDecoder().decode((await reader.read()).value);
  assert.match(text, /the user answered: Ada/, text);
}));

ok('DELETE ends the session: 200, then 404 for its id', () => withFixture(async (f) => {
  const sid = await f.initialize();
  const del = await f.handler.handle(new Request('http://127.0.0.1:3000/mcp', { method: 'DELETE', headers: { host: '127.0.0.1:3000', ...session(sid) } }));
  assert.is(del.status, 200);
  assert.is((await f.post(call(2, 'echo', { text: 'x' }), session(sid))).status, 404);
}));

ok('a cancelled request ends its stream and is no longer in flight', () => withFixture(async (f) => {
  const sid = await f.initialize();
  const res = await f.post(call(5, 'count', { steps: 1000, delayMs: 5 }, true), session(sid));
  const reader = res.body!.getReader();
  let text = '';
  for (let i = 0; i < 50 && !text.includes('"progress":2'); i++) text += new TextDecoder().decode((await reader.read()).value);
  const cancel = await f.post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 5, reason: 'user' } }, session(sid));
  assert.is(cancel.status, 202);
  const drained = (async () => { for (;;) if ((await reader.read()).done) return true; })();
  let timer!: ReturnType<typeof setTimeout>;
  const gaveUp = new Promise<boolean>((r) => { timer = setTimeout(() => r(false), 5000); });
  const ended = await Promise.race([drained, gaveUp]);
  clearTimeout(timer);
  if (!ended) await reader.cancel();
  assert.ok(ended, 'the POST stream ended after the cancellation');
  assert.not.match(text, /"result"/);
}));

const refuse = suite('http server: refusals, one status each');

refuse('400: a request without Mcp-Session-Id', () => withFixture(async (f) => {
  await f.initialize();
  const res = await f.post(call(1, 'echo', { text: 'x' }));
  assert.is(res.status, 400);
  assert.match((await res.json() as any).error.message, /Mcp-Session-Id/);
}));

refuse('400: invalid JSON gets -32700 in the body', () => withFixture(async (f) => {
  const res = await f.post('{"jsonrpc": "2.0", ');
  assert.is(res.status, 400);
  assert.is((await res.json() as any).error.code, -32700);
}));

refuse('400: an unsupported MCP-Protocol-Version, or a supported one other than the negotiated', () => withFixture(async (f) => {
  const sid = await f.initialize();
  assert.is((await f.post(call(1, 'echo', { text: 'x' }), { ...session(sid), 'mcp-protocol-version': '1999-01-01' })).status, 400);
  assert.is((await f.post(call(2, 'echo', { text: 'x' }), { ...session(sid), 'mcp-protocol-version': '2025-03-26' })).status, 400);
  const same = await f.post(call(3, 'echo', { text: 'x' }), session(sid));
  assert.is(same.status, 200);
  await same.text();
}));

refuse('400: a missing MCP-Protocol-Version in a 2025-06-18+ session; fine at 2025-03-26', () => withFixture(async (f) => {
  const sid = await f.initialize('2025-06-18');
  assert.is((await f.post(call(1, 'echo', { text: 'x' }), { 'mcp-session-id': sid })).status, 400);
  const old = await f.initialize('2025-03-26');
  const res = await f.post(call(1, 'echo', { text: 'x' }), { 'mcp-session-id': old });
  assert.is(res.status, 200);
  await res.text();
}));

refuse('400: a batch outside 2025-03-26; accepted in 2025-03-26', () => withFixture(async (f) => {
  const sid = await f.initialize();
  assert.is((await f.post([call(1, 'echo', { text: 'a' })], session(sid))).status, 400);
  const old = await f.initialize('2025-03-26');
  const res = await f.post([call(1, 'echo', { text: 'a' }), call(2, 'echo', { text: 'b' })], session(old, '2025-03-26'));
  assert.is(res.status, 200);
  const ids = messagesOf(await readEvents(res)).flatMap((m) => (Array.isArray(m) ? m : [m])).map((m) => m.id).sort();
  assert.equal(ids, [1, 2]);
}));

// JSON-RPC 2.0 batch: the answer to a batch is an array, however many responses it holds
// (2025-03-26 basic: messages follow JSON-RPC 2.0); a lone message is answered alone.
ok('a 2025-03-26 batch answered in JSON is an array, also with one response', () => withFixture(async (f) => {
  const old = await f.initialize('2025-03-26');
  const ping = (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' });
  const one = await f.post([ping(1)], session(old, '2025-03-26'));
  assert.equal(await one.json(), [{ jsonrpc: '2.0', id: 1, result: {} }]);
  const withNote = await f.post([ping(2), { jsonrpc: '2.0', method: 'notifications/roots/list_changed' }], session(old, '2025-03-26'));
  assert.equal(await withNote.json(), [{ jsonrpc: '2.0', id: 2, result: {} }]);
  const two = await f.post([ping(3), ping(4)], session(old, '2025-03-26'));
  assert.equal(((await two.json()) as Array<{ id: number }>).map((r) => r.id).sort(), [3, 4]);
  const single = await f.post(ping(5), session(old, '2025-03-26'));
  assert.equal(await single.json(), { jsonrpc: '2.0', id: 5, result: {} });
}, { responseMode: 'json' }));

// 2025-03-26 basic: a request id is never reused in a session. Two requests with one id in
// a batch cannot both be answered on the one POST (each answer closes the id).
refuse('400: a 2025-03-26 batch naming one request id twice, before anything runs', () => withFixture(async (f) => {
  const old = await f.initialize('2025-03-26');
  let runs = 0;
  f.server.tool({ name: 'tick' }, () => String(++runs));
  const res = await f.post([call(5, 'tick', {}), { jsonrpc: '2.0', id: 5, method: 'ping' }], session(old, '2025-03-26'));
  assert.is(res.status, 400);
  assert.match(await res.text(), /request id 5 appears twice in the batch/);
  assert.is(runs, 0);
  const fine = await f.post([call(5, 'tick', {}), { jsonrpc: '2.0', id: '5', method: 'ping' }], session(old, '2025-03-26'));
  assert.is(fine.status, 200, 'the number 5 and the string "5" are different ids');
  const ids = messagesOf(await readEvents(fine)).flatMap((m) => (Array.isArray(m) ? m : [m])).map((m) => m.id);
  assert.equal(ids.sort(), [5, '5']);
}));

refuse('404: an unknown session id', () => withFixture(async (f) => {
  assert.is((await f.post(call(1, 'echo', { text: 'x' }), session('no-such-session'))).status, 404);
}));

refuse('403: an Origin that is not allowed; 403: a Host that is not allowed', () => withFixture(async (f) => {
  assert.is((await f.post(call(1, 'echo', {}), { origin: 'http://evil.example' })).status, 403);
  assert.is((await f.post(call(1, 'echo', {}), { host: 'evil.example:3000' })).status, 403);
  const fine = await f.post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }, { origin: 'http://127.0.0.1:3000' });
  assert.is(fine.status, 200);
  await fine.text();
}));

refuse('406: Accept without text/event-stream on POST, or without it on GET', () => withFixture(async (f) => {
  assert.is((await f.post(call(1, 'echo', {}), { accept: 'application/json' })).status, 406);
  const sid = await f.initialize();
  assert.is((await f.get({ ...session(sid), accept: 'application/json' })).status, 406);
}));

refuse('415: a Content-Type other than application/json', () => withFixture(async (f) => {
  assert.is((await f.post(call(1, 'echo', {}), { 'content-type': 'text/plain' })).status, 415);
}));

refuse('413: a body over maxBodyBytes', () => withFixture(async (f) => {
  const sid = await f.initialize();
  const res = await f.post(call(1, 'echo', { text: 'x'.repeat(5000) }), session(sid));
  assert.is(res.status, 413);
}, { maxBodyBytes: 2048 }));

refuse('405: an unsupported method; GET and DELETE when disabled', async () => {
  await withFixture(async (f) => {
    const put = await f.handler.handle(new Request('http://127.0.0.1:3000/mcp', { method: 'PUT', headers: { host: '127.0.0.1:3000' } }));
    assert.is(put.status, 405);
    assert.is(put.headers.get('allow'), 'GET, POST, DELETE');
  });
  await withFixture(async (f) => {
    const sid = await f.initialize();
    assert.is((await f.get(session(sid))).status, 405);
    const del = await f.handler.handle(new Request('http://127.0.0.1:3000/mcp', { method: 'DELETE', headers: { host: '127.0.0.1:3000', ...session(sid) } }));
    assert.is(del.status, 405);
  }, { enableGetStream: false, enableDelete: false });
});

refuse('409: a second standalone GET stream in one session', () => withFixture(async (f) => {
  const sid = await f.initialize();
  const first = await f.get(session(sid));
  assert.is(first.status, 200);
  assert.is((await f.get(session(sid))).status, 409);
  await first.body!.cancel();
}));

refuse('503: a new session beyond maxSessions while every session is busy (an open stream)', () => withFixture(async (f) => {
  const streams = [await f.get(session(await f.initialize())), await f.get(session(await f.initialize()))];
  const res = await f.post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  assert.is(res.status, 503);
  for (const stream of streams) await stream.body!.cancel();
}, { maxSessions: 2 }));

refuse('404 after idle expiry (injected clock)', async () => {
  const timers = createManualTimers();
  await withFixture(async (f) => {
    const sid = await f.initialize();
    timers.advance(121_000); // idle past 60 s by the second sweep (sweeps run every min(sessionIdleMs, 60 s))
    await new Promise((r) => setImmediate(r));
    assert.is(f.handler.sessionCount, 0);
    assert.is((await f.post(call(1, 'echo', { text: 'x' }), session(sid))).status, 404);
  }, { sessionIdleMs: 60_000, timers, keepAliveMs: 0 });
});

refuse('a server-to-client request with no stream to carry it fails at once instead of timing out', () => withFixture(async (f) => {
  const sid = await f.initialize();
  const conn = [...f.server.connections][0]!;
  const started = Date.now();
  const err = await conn.peer.request('roots/list', undefined).catch((e) => e);
  assert.match(String(err.message), /no standalone GET stream open|roots capability/);
  assert.ok(Date.now() - started < 1000);
  void sid;
}));

const resume = suite('http server: resumption with Last-Event-ID');

resume('400 for a malformed Last-Event-ID, 400 for another session id, 410 for evicted history', () => withFixture(async (f) => {
  const a = await f.initialize();
  const b = await f.initialize();
  assert.is((await f.get({ ...session(a), 'last-event-id': 'not an id' })).status, 400);
  const res = await f.post(call(1, 'count', { steps: 5 }, true), session(a));
  const events = await readEvents(res);
  const foreign = await f.get({ ...session(b), 'last-event-id': events[2]!.id! });
  assert.is(foreign.status, 400, 'an id of session A is refused in session B');
  const evicted = await f.get({ ...session(a), 'last-event-id': events[0]!.id! });
  assert.is(evicted.status, 410);
}, { eventStore: createMemoryEventStore({ maxEventsPerStream: 3 }) }));

ok.run();
refuse.run();
resume.run();
