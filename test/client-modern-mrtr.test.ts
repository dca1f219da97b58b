// The client's multi round-trip loop (2026-07-28 basic/patterns/mrtr) against a scripted
// server: new ids, inputResponses under the server's keys, requestState echoed byte for byte
// and never invented, a missing resultType is complete, and the rounds are bounded.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type ClientOptions, type McpClient } from 'mcpwire/client';
import { scripted, type Script } from './modern-script.ts';

const URL_BASE = 'http://127.0.0.1:3001/mcp';
const STATE = '{"odd" : "bytes\\u00e9",  "n":1 }';

async function client(script: Script, options: ClientOptions = {}): Promise<{ client: McpClient; seen: ReturnType<typeof scripted>['seen'] }> {
  const { fetch, seen } = scripted(script);
  const c = createClient({ name: 'mrtr', version: '1' }, { era: 'modern', eraCache: false, ...options });
  await c.connect(createHttpClientTransport({ url: URL_BASE, fetch }));
  return { client: c, seen };
}

const form = { method: 'elicitation/create', params: { mode: 'form', message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } } };

const mrtr = suite('client: multi round-trip requests');

mrtr('answers every input request under its key, retries with a new id and echoes requestState unchanged', async () => {
  const asked: string[] = [];
  const { client: c, seen } = await client((s) => {
    if (s.body.method !== 'tools/call') return undefined;
    if (!s.body.params?.inputResponses) {
      return { resultType: 'input_required', requestState: STATE, inputRequests: { who: form, roots: { method: 'roots/list', params: {} } } };
    }
    return { content: [{ type: 'text', text: `hello ${s.body.params.inputResponses.who.content.name}` }] };
  }, {
    onElicit: async (params) => { asked.push(params.message); return { action: 'accept', content: { name: 'Ada' } }; },
    roots: [{ uri: 'file:///home' }],
  });
  const result = await c.callTool('greet', { x: 1 });
  assert.equal(result.content, [{ type: 'text', text: 'hello Ada' }]);
  assert.equal(asked, ['Name?']);
  const calls = seen.filter((s) => s.body.method === 'tools/call');
  assert.is(calls.length, 2);
  assert.is.not(calls[0]!.body.id, calls[1]!.body.id, 'the retry has a new id');
  const retry = calls[1]!.body.params!;
  assert.is(retry.requestState, STATE, 'requestState byte for byte');
  assert.equal(retry.inputResponses, { who: { action: 'accept', content: { name: 'Ada' } }, roots: { roots: [{ uri: 'file:///home' }] } });
  assert.equal(retry.arguments, { x: 1 }, 'the original params are sent again');
  assert.not.ok('requestState' in calls[0]!.body.params!, 'the first request has no requestState');
  await c.close();
});

mrtr('an input request names the request it belongs to: relatedRequestId is the id of the round that asked, as onRequestId reported it', async () => {
  const related: unknown[] = [];
  const { client: c, seen } = await client((s) => {
    if (s.body.method !== 'tools/call') return undefined;
    const round = seen.filter((x) => x.body.method === 'tools/call').length;
    if (round < 3) return { resultType: 'input_required', inputRequests: { q: form } };
    return { content: [{ type: 'text', text: 'done' }] };
  }, { onElicit: async (_params, ctx) => { related.push(ctx.relatedRequestId); return { action: 'decline' }; } });
  const ids: unknown[] = [];
  await c.callTool('greet', {}, { onRequestId: (id) => ids.push(id) });
  const sent = seen.filter((s) => s.body.method === 'tools/call').map((s) => s.body.id);
  assert.equal(ids, sent, 'onRequestId told each round');
  // With two calls on one server, a host tells whose question it is by this id (host/calls.ts).
  assert.equal(related, sent.slice(0, 2), 'each question carries the id of the round it came with');
  await c.close();
});

mrtr('sends no requestState when the server gave none, and nothing of a round carries over to the next', async () => {
  const { client: c, seen } = await client((s) => {
    if (s.body.method !== 'prompts/get') return undefined;
    const round = seen.filter((x) => x.body.method === 'prompts/get').length;
    if (round === 1) return { resultType: 'input_required', inputRequests: { a: form }, requestState: 'S1' };
    if (round === 2) return { resultType: 'input_required', inputRequests: { b: form } };
    return { messages: [] };
  }, { onElicit: async () => ({ action: 'decline' }) });
  await c.getPrompt('p');
  const gets = seen.filter((s) => s.body.method === 'prompts/get').map((s) => s.body.params!);
  assert.is(gets.length, 3);
  assert.is(gets[1]!.requestState, 'S1');
  assert.equal(Object.keys(gets[1]!.inputResponses), ['a']);
  assert.not.ok('requestState' in gets[2]!, 'no requestState when the round had none');
  assert.equal(Object.keys(gets[2]!.inputResponses), ['b'], 'only this round\'s answers');
  await c.close();
});

mrtr('a result without resultType is complete: no retry', async () => {
  const { client: c, seen } = await client((s) => s.body.method === 'resources/read'
    ? new Response(JSON.stringify({ jsonrpc: '2.0', id: s.body.id, result: { contents: [{ uri: 'a://b', text: 't' }] } }), { headers: { 'content-type': 'application/json' } })
    : undefined);
  const read = await c.readResource('a://b');
  assert.equal(read.contents, [{ uri: 'a://b', text: 't' }]);
  assert.is(seen.filter((s) => s.body.method === 'resources/read').length, 1);
  await c.close();
});

mrtr('a server that keeps asking is stopped after maxInputRounds with MCP_ERR_PROTOCOL', async () => {
  const { client: c, seen } = await client((s) => s.body.method === 'tools/call' ? { resultType: 'input_required', requestState: 'again' } : undefined, { maxInputRounds: 3 });
  const error = await c.callTool('loop').then(() => undefined, (e: Error & { code?: string }) => e);
  assert.is(error?.code, 'MCP_ERR_PROTOCOL');
  assert.match(error!.message, /after 3 rounds/);
  assert.is(seen.filter((s) => s.body.method === 'tools/call').length, 4, 'the first request and 3 retries');
  await c.close();
});

mrtr('an unknown resultType or an input the client did not declare fails precisely', async () => {
  const { client: c } = await client((s) => {
    if (s.body.method !== 'tools/call') return undefined;
    return s.body.params?.name === 'odd' ? { resultType: 'mystery' } : { resultType: 'input_required', inputRequests: { m: { method: 'sampling/createMessage', params: {} } } };
  });
  const odd = await c.callTool('odd').then(() => undefined, (e: Error & { code?: string }) => e);
  assert.is(odd?.code, 'MCP_ERR_PROTOCOL');
  assert.match(odd!.message, /"mystery"/);
  const undeclared = await c.callTool('sample').then(() => undefined, (e: Error & { code?: string }) => e);
  assert.is(undeclared?.code, 'MCP_ERR_CAPABILITY');
  await c.close();
});

mrtr('a round asking more inputs at once than maxInputRequests (64) fails whole, before any is asked', async () => {
  // A hostile server: 25 000 forms in one round were all put to the user at once.
  const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, form]));
  let asked = 0;
  const { client: c, seen } = await client((s) => {
    if (s.body.method !== 'tools/call') return undefined;
    if (s.body.params?.inputResponses) return { content: [] };
    return { resultType: 'input_required', inputRequests: many(s.body.params?.name === 'fits' ? 64 : 1000) };
  }, { onElicit: async () => { asked++; return { action: 'decline' }; } });
  const error = await c.callTool('floods').then(() => undefined, (e: Error & { code?: string }) => e);
  assert.is(error?.code, 'MCP_ERR_TOO_MANY_PENDING', error?.message);
  assert.match(String(error?.message), /1000 inputs at once in tools\/call, more than the client's maxInputRequests \(64\)/);
  assert.is(asked, 0);
  assert.is(seen.filter((s) => s.body.params?.name === 'floods').length, 1, 'no retry sent');
  await c.callTool('fits');
  assert.is(asked, 64);
  await c.close();
});

mrtr('every other result: an unknown resultType, or input_required where no input may be asked, fails precisely', async () => {
  // 2026-07-28 basic/index: an unrecognized resultType MUST be considered invalid; only
  // tools/call, prompts/get and resources/read may answer input_required (basic/patterns/mrtr).
  const { client: c } = await client((s) => {
    if (s.body.method === 'tools/list') return { resultType: 'mystery', tools: [{ name: 'a', inputSchema: { type: 'object' } }], ttlMs: 0, cacheScope: 'private' };
    if (s.body.method === 'prompts/list') return { resultType: 'input_required', inputRequests: { who: form }, prompts: [], ttlMs: 0, cacheScope: 'private' };
    if (s.body.method === 'resources/list') return { resources: [], ttlMs: 0, cacheScope: 'private' };
    return undefined;
  });
  for (const [what, run, type] of [['tools/list', () => c.listTools(), 'mystery'], ['prompts/list', () => c.listPrompts(), 'input_required']] as const) {
    const error = await (run as () => Promise<unknown>)().then(() => undefined, (e: Error & { code?: string }) => e);
    assert.is(error?.code, 'MCP_ERR_PROTOCOL', `${what}: ${error?.message}`);
    assert.match(error!.message, new RegExp(`${what} with resultType "${type}"`));
  }
  assert.equal(await c.listResources(), [], 'a complete result is taken');
  await c.close();
});

mrtr.run();
