// One tool with elicitation, written once, served by one server on one HTTP endpoint to a
// 2025-11-25 client (a server-to-client elicitation/create on its session) and to a
// 2026-07-28 client (an InputRequiredResult round trip) at the same time.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type FetchLike } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { createMessageValidator } from '../conformance/index.ts';
import { envelope } from './modern-kit.ts';

const URL_BASE = 'http://127.0.0.1:3000/mcp';
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'book' };

const both = suite('both eras at once');

both('the same elicitation tool completes for a 2025 client and a 2026 client concurrently', async () => {
  const server = createServer({ name: 'both-eras', version: '1.0.0' });
  let legacyAsked!: () => void;
  const legacyWaiting = new Promise<void>((resolve) => { legacyAsked = resolve; });
  server.tool<{ city: string }>({ name: 'book', description: 'Books a trip after asking for a name.', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }, async (args, ctx) => {
    const answer = await ctx.elicit({ message: 'Traveller name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } }, { key: 'traveller' });
    return `Booked ${args.city} for ${String(answer.content?.name)} (${ctx.protocolVersion})`;
  });
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'], keepAliveMs: 0 });
  const fetch: FetchLike = (url, init) => handler.handle(new Request(url, { ...init, headers: { host: '127.0.0.1:3000', ...init.headers } }));

  // The 2025 client answers elicitation when asked, but only once the 2026 client has had its
  // first round: both calls are in flight at once.
  let modernRoundOne!: () => void;
  const modernAsked = new Promise<void>((resolve) => { modernRoundOne = resolve; });
  const client = createClient({ name: 'legacy', version: '1' }, {
    onElicit: async () => {
      legacyAsked();
      await modernAsked;
      return { action: 'accept', content: { name: 'Ada' } };
    },
  });
  await client.connect(createHttpClientTransport({ url: URL_BASE, fetch, openStandaloneStream: false }));
  const legacyCall = client.callTool('book', { city: 'Oslo' });
  await legacyWaiting;

  const validator = createMessageValidator('2026-07-28');
  const send = async (message: Record<string, unknown>) => {
    assert.equal(validator.validate(message, 'client-to-server'), []);
    const res = await fetch(URL_BASE, { method: 'POST', headers: HEADERS, body: JSON.stringify(message) });
    const reply = await res.json() as Record<string, any>;
    assert.equal(validator.validate(reply, 'server-to-client'), []);
    return reply;
  };
  const params = { name: 'book', arguments: { city: 'Lima' } };
  const first = await send({ jsonrpc: '2.0', id: 'm-1', method: 'tools/call', params: { ...params, _meta: envelope({ elicitation: {} }) } });
  assert.is(first.result.resultType, 'input_required');
  assert.equal(Object.keys(first.result.inputRequests), ['traveller']);
  modernRoundOne();
  const second = await send({
    jsonrpc: '2.0', id: 'm-2', method: 'tools/call',
    params: { ...params, inputResponses: { traveller: { action: 'accept', content: { name: 'Grace' } } }, requestState: first.result.requestState, _meta: envelope({ elicitation: {} }) },
  });
  assert.equal(second.result.content, [{ type: 'text', text: 'Booked Lima for Grace (2026-07-28)' }]);
  const legacy = await legacyCall;
  assert.equal(legacy.content, [{ type: 'text', text: 'Booked Oslo for Ada (2025-11-25)' }]);
  assert.is(handler.sessionCount, 1, 'only the 2025 client has a session');
  await client.close();
  await handler.close();
});

both.run();
