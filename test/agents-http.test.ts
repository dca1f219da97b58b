// The agents over Streamable HTTP, in process: each notification on the right stream. A
// call's progress and logs go on its own POST stream with the response; resource updates,
// which belong to the session and not to any request, go on the standalone GET stream.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { createSseDecoder } from '../transport/sse/decode.ts';
import { registerAgents } from '../examples/agents/index.ts';
import { recordId } from '../examples/agents/identity.ts';
import { ACCEPT_BOTH, URL_BASE, messagesOf, readEvents } from './http-fixture.ts';

const VERSION = '2025-11-25';

/** Messages of an SSE body until `count` of them satisfy `want` (then the body is cancelled). */
async function readMatching(response: Response, want: (m: Record<string, any>) => boolean, count: number): Promise<Array<Record<string, any>>> {
  const reader = response.body!.getReader();
  const out: Array<Record<string, any>> = [];
  const decoder = createSseDecoder({ onEvent: (ev) => { if (ev.data !== '') out.push(JSON.parse(ev.data)); }, onError: (e) => { throw e; } });
  while (out.filter(want).length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    decoder.push(value);
  }
  await reader.cancel();
  return out;
}

const streams = suite('agents over HTTP: every notification on the right stream');

streams('progress and findings on the call\'s POST stream; report updates on the GET stream', async () => {
  const state = await mkdtemp(join(tmpdir(), 'mcpwire-agents-http-'));
  const server = createServer({ name: 'agents-http', version: '1.0.0' });
  const agents = await registerAgents(server, { stateDir: state, stepDelayMs: 0 });
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'], keepAliveMs: 0 });
  let headers: Record<string, string> = { host: '127.0.0.1:3000', accept: ACCEPT_BOTH, 'content-type': 'application/json' };
  const post = (body: unknown) => handler.handle(new Request(URL_BASE, { method: 'POST', headers, body: JSON.stringify(body) }));
  try {
    const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    const sessionId = init.headers.get('mcp-session-id')!;
    await init.text();
    headers = { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': VERSION };
    assert.is((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);

    // The report's URI follows from the session and the request id the call will use.
    const uri = `agents://reports/${recordId('rp', { sessionId, requestId: 1 })}`;
    const subscribed = messagesOf(await readEvents(await post({ jsonrpc: '2.0', id: 9, method: 'resources/subscribe', params: { uri } })));
    assert.equal(subscribed.find((m) => m.id === 9)!.result, {});
    const standalone = await handler.handle(new Request(URL_BASE, { headers: { ...headers, accept: 'text/event-stream' } }));
    assert.is(standalone.status, 200);

    const call = await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'research_agent', arguments: { topic: 'heat pumps', depth: 'quick' }, _meta: { progressToken: 'r' } } });
    const onPost = messagesOf(await readEvents(call));
    const response = onPost.at(-1)!;
    assert.is(response.id, 1);
    assert.is(response.result.structuredContent.uri, uri);
    const notes = onPost.slice(0, -1);
    assert.ok(notes.every((m) => m.method === 'notifications/progress' || m.method === 'notifications/message'), 'only the call\'s own notifications');
    assert.ok(notes.filter((m) => m.method === 'notifications/progress').every((m) => m.params.progressToken === 'r'));
    assert.is(notes.filter((m) => m.method === 'notifications/progress').length, 7);

    // Created, sources chosen, three findings, summary, complete: seven writes, seven updates.
    const onGet = await readMatching(standalone, (m) => m.method === 'notifications/resources/updated', 7);
    const updates = onGet.filter((m) => m.method === 'notifications/resources/updated');
    assert.is(updates.length, 7);
    assert.ok(updates.every((m) => m.params.uri === uri));
    // The new report joined resources/list: one list_changed, and nothing else on the stream.
    assert.equal(onGet.filter((m) => m.method !== 'notifications/resources/updated').map((m) => m.method), ['notifications/resources/list_changed']);
  } finally {
    await handler.close();
    await agents.close();
    await rm(state, { recursive: true, force: true });
  }
});

streams.run();
