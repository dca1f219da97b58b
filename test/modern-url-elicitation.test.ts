// 2026-07-28 client/elicitation, URL mode: the request is `mode`, `message` and `url` (the
// version's schema and its example `ElicitRequestURLParams/elicit-sensitive-data.json`); the
// `elicitationId` and `notifications/elicitation/complete` ended with 2025-11-25. The Python
// SDK's server (mcp 2.3.0) asks so (peerwalk8: its bytes below), and our client refused it with
// -32602 "a URL elicitation needs "message", "url" and "elicitationId" strings"; our server sent
// a generated `elicitationId` in 2026-07-28 too. Both eras are checked on both sides. And a tool
// could not send `notifications/elicitation/complete` (2025-11-25 client/elicitation: servers MAY),
// which the Python SDK's `send_elicit_complete` does: `ctx.elicitationComplete(id)` now.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, type ClientOptions } from 'mcpwire/client';
import type { ElicitParams } from 'mcpwire/protocol';
import { createServer } from '../server/server.ts';
import { createMemoryPair } from '../transport/memory.ts';
import { callThroughRound } from './modern-script.ts';
import { Exchange, request } from './modern-kit.ts';

/** The Python SDK 2.3.0 MCPServer's answer to a `tools/call` of a tool asking in URL mode, byte for byte. */
const PYTHON_URL_ASK = JSON.parse('{"inputRequests":{"login":{"method":"elicitation/create","params":{"message":"Sign in at the bank","mode":"url","url":"https://bank.example/login?x=\\u00e9"}}},"resultType":"input_required","_meta":{"io.modelcontextprotocol/serverInfo":{"name":"py-walk8","version":"1"}}}');

const URL_MODES: ClientOptions = { elicitation: { modes: ['form', 'url'] } };

const client = suite('client 2026-07-28: a URL-mode input request without elicitationId');

client('the Python SDK\'s URL request is given to onElicit as sent and its answer goes back', async () => {
  const asked: ElicitParams[] = [];
  const reported: string[] = [];
  const { outcome, seen } = await callThroughRound(PYTHON_URL_ASK, { ...URL_MODES, onElicit: async (p) => { asked.push(p); return { action: 'accept' }; }, onError: (e) => reported.push(e.message) });
  assert.equal(asked, [{ message: 'Sign in at the bank', mode: 'url', url: 'https://bank.example/login?x=é' }]);
  assert.equal((outcome as { content: unknown }).content, [{ type: 'text', text: 'done' }]);
  assert.equal(seen.flatMap((s) => (s.body.params?.inputResponses ? [s.body.params.inputResponses] : [])), [{ login: { action: 'accept' } }]);
  assert.equal(reported, []);
});

client('a URL request without url is still refused (-32602), naming what 2026-07-28 requires', async () => {
  const bad = { resultType: 'input_required', inputRequests: { q: { method: 'elicitation/create', params: { mode: 'url', message: 'Sign in' } } } };
  let called = 0;
  const { outcome, seen } = await callThroughRound(bad, { ...URL_MODES, onElicit: async () => { called++; return { action: 'accept' }; }, onError: () => {} });
  assert.instance(outcome, Error);
  assert.match((outcome as Error).message, /a URL elicitation needs "message" and "url" strings/);
  assert.is(called, 0);
  assert.is(seen.filter((s) => s.body.params?.inputResponses).length, 0, 'no retry carrying an answer');
});

const server = suite('server: a URL-mode question carries elicitationId in 2025-11-25 only');

function signIn() {
  const s = createServer({ name: 's', version: '1' });
  s.tool({ name: 'sign_in' }, async (_a, ctx) => (await ctx.elicit({ mode: 'url', url: 'https://example.com/in', message: 'go' })).action);
  s.tool({ name: 'sign_in_done' }, async (_a, ctx) => {
    const answer = await ctx.elicit({ mode: 'url', url: 'https://example.com/in', message: 'go', elicitationId: 'done-1' }, { key: 'login' });
    if (answer.action === 'accept') await ctx.elicitationComplete('done-1');
    return answer.action;
  });
  s.tool({ name: 'sign_in_named' }, async (_a, ctx) => (await ctx.elicit({ mode: 'url', url: 'https://example.com/in', message: 'go', elicitationId: 'mine' })).action);
  return s;
}

server('2026-07-28: the input request is mode, message and url, even when the handler named an id', async () => {
  const x = new Exchange(signIn());
  for (const name of ['sign_in', 'sign_in_named']) {
    const result = await x.result(request('tools/call', { name }, { elicitation: { url: {} } }));
    assert.is(result.resultType, 'input_required', name);
    const params = (Object.values(result.inputRequests)[0] as { params: Record<string, unknown> }).params;
    assert.equal(params, { mode: 'url', url: 'https://example.com/in', message: 'go' }, name);
  }
});

server('2025-11-25: elicitation/create has an elicitationId (generated, or the handler\'s)', async () => {
  const [a, b] = createMemoryPair();
  const s = signIn();
  await s.connect(a);
  const ids: unknown[] = [];
  const c = createClient({ name: 'c', version: '1' }, { era: 'legacy', elicitation: { modes: ['url'] }, onElicit: async (p) => { ids.push(p.mode === 'url' ? p.elicitationId : undefined); return { action: 'decline' }; } });
  await c.connect(b);
  try {
    await c.callTool('sign_in', {});
    await c.callTool('sign_in_named', {});
    assert.is(typeof ids[0], 'string');
    assert.ok((ids[0] as string).length > 0);
    assert.is(ids[1], 'mine');
  } finally {
    await c.close();
    await s.close();
  }
});

server('2025-11-25: ctx.elicitationComplete tells the client, which hears the id it was asked with', async () => {
  const [a, b] = createMemoryPair();
  const s = signIn();
  await s.connect(a);
  const heard: string[] = [];
  const c = createClient({ name: 'c', version: '1' }, { era: 'legacy', elicitation: { modes: ['url'] }, onElicit: async () => ({ action: 'accept' }), onElicitationComplete: (id) => heard.push(id) });
  await c.connect(b);
  try {
    const result = await c.callTool('sign_in_done', {});
    assert.equal(result.content, [{ type: 'text', text: 'accept' }]);
    assert.equal(heard, ['done-1']);
  } finally {
    await c.close();
    await s.close();
  }
});

server('2026-07-28: ctx.elicitationComplete sends nothing (the era has no such notification) and the call ends', async () => {
  const x = new Exchange(signIn());
  const caps = { elicitation: { url: {} } };
  const first = await x.result(request('tools/call', { name: 'sign_in_done' }, caps));
  assert.is(first.resultType, 'input_required');
  const done = await x.result(request('tools/call', { name: 'sign_in_done', inputResponses: { login: { action: 'accept' } }, requestState: first.requestState }, caps));
  assert.equal(done.content, [{ type: 'text', text: 'accept' }]);
  assert.equal(x.notifications.filter((n) => n.method === 'notifications/elicitation/complete'), []);
});

client.run();
server.run();
