// Elicitation on the client, end to end over the in-memory pair with the schema tap: form
// mode against our fixture server (SEP-1034 defaults when asked for, SEP-1330 enums, content
// checked before it is sent), and against a hand-written server session (malformed forms,
// URL mode, notifications/elicitation/complete, the -32042 error).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type McpServer } from 'mcpwire/server';
import { CallbackError, createClient, urlElicitationsOf, type ClientOptions } from 'mcpwire/client';
import { createPeer, McpError, RpcError, type ElicitParams, type ServerSide } from 'mcpwire/protocol';
import { registerFixtures } from '../conformance/fixtures/index.ts';
import { linkedPair } from './harness.ts';
import { connectClient } from './memory-client.ts';

function fixtureServer(): McpServer {
  const server = createServer({ name: 'fixtures', version: '1.0.0' });
  registerFixtures(server);
  return server;
}

/**
 * Close, allowing only the schema erratum SEP-1034 runs into: a form may ask for a `number`
 * (95.5 as the fixture's default), but every schema's ElicitResult.content admits integers
 * only. The suite's own SEP-1034 scenarios expect 95.5 back, so the client sends it.
 */
async function closeAllowingFractionalNumber(c: { client: { close(): Promise<void> }; taps: unknown }): Promise<void> {
  await c.client.close();
  const violations = (c.taps as { violations: ReadonlyArray<{ definition: string; path: string }> }).violations;
  assert.equal(violations.map((v) => `${v.definition} ${v.path}`), ['ElicitResult /result/content/score']);
}

const textOf = (result: { content: Array<{ type: string; text?: string }> }) => result.content.map((c) => c.text ?? '').join('');

/** The elicitation capability the client declared in its initialize request. */
function declaredElicitation(c: { taps: { messages: ReadonlyArray<{ message: unknown }> } }): unknown {
  const init = c.taps.messages.find((m) => (m.message as { method?: string }).method === 'initialize')!.message as { params: { capabilities: { elicitation?: unknown } } };
  return init.params.capabilities.elicitation;
}

/** A raw server session on the memory pair, answering initialize; the test drives the rest. */
async function fakeServer(options: ClientOptions) {
  const { clientTransport, serverTransport, taps } = linkedPair();
  const server = createPeer<ServerSide>();
  server.onRequest('initialize', () => ({ protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'fake', version: '1' } }));
  await server.connect(serverTransport);
  const client = createClient({ name: 't', version: '1' }, options);
  await client.connect(clientTransport);
  await client.ping();
  return { server, client, taps };
}

const form = suite('form mode against our fixture server');

form('SEP-1034: with applyDefaults, an empty accept comes back with every default, typed', async () => {
  const c = await connectClient(fixtureServer(), { client: { onElicit: () => ({ action: 'accept', content: {} }), elicitation: { applyDefaults: true } } });
  assert.equal(declaredElicitation(c), { form: { applyDefaults: true } });
  const text = textOf(await c.client.callTool('test_elicitation_sep1034_defaults', {}));
  assert.equal(JSON.parse(text.slice(text.indexOf('{'))), { name: 'John Doe', age: 30, score: 95.5, status: 'active', verified: true });
  await closeAllowingFractionalNumber(c);
});

form('declaring elicitation.form.applyDefaults in capabilities asks for the same; the user\'s own values win', async () => {
  const c = await connectClient(fixtureServer(), { client: {
    capabilities: { elicitation: { form: { applyDefaults: true } } },
    onElicit: () => ({ action: 'accept', content: { name: 'Ada', verified: false } }),
  } });
  const text = textOf(await c.client.callTool('test_elicitation_sep1034_defaults', {}));
  assert.equal(JSON.parse(text.slice(text.indexOf('{'))), { name: 'Ada', verified: false, age: 30, score: 95.5, status: 'active' });
  await closeAllowingFractionalNumber(c);
});

form('without it, defaults are not applied and form mode alone is declared', async () => {
  const c = await connectClient(fixtureServer(), { client: { onElicit: () => ({ action: 'accept', content: {} }) } });
  assert.equal(declaredElicitation(c), { form: {} });
  assert.match(textOf(await c.client.callTool('test_elicitation_sep1034_defaults', {})), /accept: \{\}$/);
  await c.close();
});

form('SEP-1330: the five enum shapes are answered and accepted', async () => {
  const asked: ElicitParams[] = [];
  const c = await connectClient(fixtureServer(), { client: { onElicit: (params) => {
    asked.push(params);
    return { action: 'accept', content: { untitledSingle: 'option2', titledSingle: 'value1', legacyEnum: 'opt3', untitledMulti: ['option1', 'option3'], titledMulti: ['value2'] } };
  } } });
  assert.match(textOf(await c.client.callTool('test_elicitation_sep1330_enums', {})), /accept: .*"titledMulti":\["value2"\]/);
  assert.is(asked.length, 1);
  await c.close();
});

form('content outside the schema is refused before it is sent: the server gets -32603, onError and the call the reason', async () => {
  const errors: Error[] = [];
  const c = await connectClient(fixtureServer(), { client: {
    onElicit: () => ({ action: 'accept', content: { untitledSingle: 'option9', untitledMulti: 'option1' } }),
    onError: (e) => errors.push(e),
  } });
  const failed = await c.client.callTool('test_elicitation_sep1330_enums', {}).catch((e) => e);
  // README "When a callback fails": the call rejects with the refusal, the server's error beside it.
  assert.instance(failed, CallbackError);
  assert.is(failed.code, 'MCP_ERR_VALIDATION');
  assert.match(failed.message, /"untitledSingle" must be one of/);
  assert.instance(failed.serverError, RpcError);
  assert.is(failed.serverError.code, -32603);
  assert.match(failed.serverError.message, /"untitledSingle" must be one of/);
  assert.is(errors.length, 1);
  assert.is((errors[0] as McpError).code, 'MCP_ERR_VALIDATION');
  await c.close();
});

form('decline and cancel carry no content, whatever the application returned', async () => {
  for (const action of ['decline', 'cancel'] as const) {
    const c = await connectClient(fixtureServer(), { client: { onElicit: () => ({ action, content: { name: 'leak' } }) } });
    assert.match(textOf(await c.client.callTool('test_elicitation_sep1034_defaults', {})), new RegExp(`chose ${action}: \\{\\}`));
    const answer = c.taps.messages.find((m) => m.direction === 'client-to-server' && (m.message as { result?: { action?: string } }).result?.action === action);
    assert.equal((answer!.message as { result: unknown }).result, { action });
    await c.close();
  }
});

form.run();

const shapes = suite('form and URL requests from a hand-written server');

shapes('a nested or malformed form is refused with -32602 and never shown', async () => {
  let shown = 0;
  const f = await fakeServer({ onElicit: () => { shown++; return { action: 'cancel' }; } });
  const nested = await f.server.request('elicitation/create', {
    message: 'Address?', requestedSchema: { type: 'object', properties: { address: { type: 'object', properties: {} } as never } },
  }).catch((e) => e);
  assert.instance(nested, RpcError);
  assert.is(nested.code, -32602);
  assert.match(nested.message, /"address" has type "object"/);
  assert.is(shown, 0);
  await f.client.close();
});

shapes('URL mode not declared: -32602', async () => {
  const f = await fakeServer({ onElicit: () => ({ action: 'accept' }) });
  const refused = await f.server.request('elicitation/create', { mode: 'url', message: 'Sign in', url: 'https://example.com/a', elicitationId: 'e1' }).catch((e) => e);
  assert.is(refused.code, -32602);
  assert.match(refused.message, /mode "url" was not declared/);
  await f.client.close();
  f.taps.assertClean();
});

shapes('URL mode declared: accept, then the completion of that id is delivered once, others ignored', async () => {
  const completed: string[] = [];
  const heard: string[] = [];
  const f = await fakeServer({
    elicitation: { modes: ['form', 'url'] },
    onElicit: (params) => ({ action: params.mode === 'url' && params.url.startsWith('https://') ? 'accept' : 'decline', content: { ignored: true } }),
    onElicitationComplete: (id) => completed.push(id),
    onNotification: (method) => heard.push(method),
  });
  assert.equal(f.client.capabilities.elicitation, { form: {}, url: {} });
  const answer = await f.server.request('elicitation/create', { mode: 'url', message: 'Connect', url: 'https://example.com/oauth', elicitationId: 'e-1' });
  assert.equal(answer, { action: 'accept' });
  const waiting = f.client.waitForElicitation('e-1');
  await f.server.notify('notifications/elicitation/complete', { elicitationId: 'e-unknown' });
  await f.server.notify('notifications/elicitation/complete', { elicitationId: 'e-1' });
  await f.server.notify('notifications/elicitation/complete', { elicitationId: 'e-1' });
  await waiting;
  await f.client.ping();
  assert.equal(completed, ['e-1']);
  assert.equal(heard, ['notifications/elicitation/complete']);
  await f.client.close();
  f.taps.assertClean();
});

shapes.run();

const required = suite('-32042: URL elicitation required');

required('the error lists the elicitations; waiting for their completion, then retrying, succeeds', async () => {
  const server = createServer({ name: 'url', version: '1' });
  let connected = false;
  server.tool({ name: 'read_calendar', description: 'Needs the user to connect a calendar first.' }, () => {
    if (!connected) {
      throw new RpcError(-32042, 'This request requires more information.', {
        elicitations: [{ mode: 'url', elicitationId: 'cal-1', url: 'https://example.com/connect-calendar', message: 'Connect your calendar' }],
      });
    }
    return 'three meetings today';
  });
  const c = await connectClient(server, { client: { elicitation: { modes: ['url'] }, onElicit: () => ({ action: 'accept' }) } });
  const error = await c.client.callTool('read_calendar', {}).catch((e) => e);
  const needed = urlElicitationsOf(error);
  assert.equal(needed?.map((e) => e.elicitationId), ['cal-1']);
  const done = c.client.waitForElicitation('cal-1', { timeoutMs: 5_000 });
  connected = true; // the user finished the flow in the browser
  await c.conn.peer.notify('notifications/elicitation/complete', { elicitationId: 'cal-1' });
  await done;
  assert.equal(textOf(await c.client.callTool('read_calendar', {})), 'three meetings today');
  assert.equal(c.heard.map((h) => h.method), ['notifications/elicitation/complete']);
  await c.close();
});

required('closing the client rejects a pending wait', async () => {
  const c = await connectClient(fixtureServer());
  const waiting = c.client.waitForElicitation('never').catch((e) => e);
  await c.close();
  assert.is((await waiting).code, 'MCP_ERR_CLOSED');
});

required.run();
