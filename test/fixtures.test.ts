// The conformance fixtures (examples/fixtures): everything the official suite expects is
// there, each tool answers the way its scenario checks, and test_reconnection closes its SSE
// connection mid-call so the result arrives on the resumed stream.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type McpServer } from 'mcpwire/server';
import type { CallToolResult, ElicitParams } from 'mcpwire/protocol';
import {
  FIXTURE_PROMPTS, FIXTURE_RESOURCES, FIXTURE_SKILL_RESOURCES, FIXTURE_TEMPLATE, FIXTURE_TOOLS, JSON_SCHEMA_2020_12, registerFixtures,
} from '../conformance/fixtures/index.ts';
import { validateAs } from '../conformance/validate.ts';
import { connectClient, type Connected } from './memory-client.ts';
import { makeFixture, messagesOf, readEvents } from './http-fixture.ts';

function fixtureServer(): McpServer {
  const server = createServer({ name: 'fixtures', version: '1.0.0' });
  registerFixtures(server);
  return server;
}

const elicited: ElicitParams[] = [];
const logs: unknown[] = [];
/** Answers as the suite's scenarios do. */
async function connect(): Promise<Connected> {
  return connectClient(fixtureServer(), {
    client: {
      onElicit(params) {
        elicited.push(params);
        const byTool: Record<string, Record<string, string | number | boolean | string[]>> = {
          'Choose from each list.': { untitledSingle: 'option1', titledSingle: 'value1', legacyEnum: 'opt1', untitledMulti: ['option1', 'option2'], titledMulti: ['value1', 'value2'] },
          'Check these details; each has a default.': { name: 'Jane Smith', age: 25, score: 88, status: 'inactive', verified: false },
        };
        return { action: 'accept', content: byTool[params.message] ?? { username: 'testuser', email: 'test@example.com' } };
      },
      onLog: (params) => { logs.push(params.data); },
      onSample: () => ({ role: 'assistant', content: { type: 'text', text: 'a sampled answer' }, model: 'test-model', stopReason: 'endTurn' }),
    },
  });
}

const present = suite('fixtures: everything the official suite expects is registered');

present('tools, resources, templates and prompts by name, each tool and prompt with a description', async () => {
  const c = await connect();
  const tools = await c.client.listTools();
  assert.equal(tools.map((t) => t.name), [...FIXTURE_TOOLS]);
  for (const t of tools) assert.ok(t.description, `${t.name} has a description`);
  const schema = tools.find((t) => t.name === 'json_schema_2020_12_tool')!.inputSchema;
  assert.equal(schema, JSON_SCHEMA_2020_12, 'the 2020-12 schema is listed exactly as registered');
  assert.equal((await c.client.peer.request('resources/list', {})).resources.map((r) => r.uri), [...FIXTURE_RESOURCES, ...FIXTURE_SKILL_RESOURCES]);
  assert.equal((await c.client.peer.request('resources/templates/list', {})).resourceTemplates.map((t) => t.uriTemplate), [FIXTURE_TEMPLATE]);
  const prompts = (await c.client.peer.request('prompts/list', {})).prompts;
  assert.equal(prompts.map((p) => p.name), [...FIXTURE_PROMPTS]);
  for (const p of prompts) assert.ok(p.description, `${p.name} has a description`);
  const caps = c.client.serverCapabilities!;
  assert.equal(caps.resources, { subscribe: true, listChanged: true });
  assert.equal(caps.prompts, { listChanged: true });
  assert.equal(caps.completions, {});
  assert.ok(caps.logging && caps.tools);
  await c.close();
});

const answers = suite('fixtures: each answers as its scenario checks');

answers('content tools return text, PNG image, WAV audio, embedded resources and a tool error', async () => {
  const c = await connect();
  const call = (name: string) => c.client.callTool(name, {});
  const first = (r: CallToolResult, type: string) => r.content.find((b) => b.type === type) as Record<string, any> | undefined;
  assert.ok(first(await call('test_simple_text'), 'text')?.text);
  const image = first(await call('test_image_content'), 'image')!;
  assert.is(image.mimeType, 'image/png');
  assert.is(Buffer.from(image.data, 'base64').subarray(1, 4).toString('latin1'), 'PNG');
  const audio = first(await call('test_audio_content'), 'audio')!;
  assert.is(audio.mimeType, 'audio/wav');
  assert.is(Buffer.from(audio.data, 'base64').subarray(0, 4).toString('latin1'), 'RIFF');
  const embedded = first(await call('test_embedded_resource'), 'resource')!;
  assert.ok(embedded.resource.uri && embedded.resource.mimeType && embedded.resource.text);
  assert.equal((await call('test_multiple_content_types')).content.map((b) => b.type), ['text', 'image', 'resource']);
  const failed = await call('test_error_handling');
  assert.is(failed.isError, true);
  assert.ok((failed.content[0] as { text: string }).text);
  await c.close();
});

answers('logging, progress, sampling and the three elicitations', async () => {
  const c = await connect();
  await c.client.setLoggingLevel('debug');
  logs.length = 0;
  await c.client.callTool('test_tool_with_logging', {});
  assert.is(logs.length, 3, 'three log messages, sent before the result');
  const progress: number[] = [];
  await c.client.callTool('test_tool_with_progress', {}, { onProgress: (p) => { progress.push(p.progress); } });
  assert.equal(progress, [0, 50, 100]);
  const sampled = await c.client.callTool('test_sampling', { prompt: 'Say something' });
  assert.match((sampled.content[0] as { text: string }).text, /test-model.*a sampled answer/);
  elicited.length = 0;
  for (const name of ['test_elicitation', 'test_elicitation_sep1034_defaults', 'test_elicitation_sep1330_enums']) {
    const r = await c.client.callTool(name, name === 'test_elicitation' ? { message: 'Who are you?' } : {});
    assert.not.ok(r.isError, `${name}: the suite's answer is valid for the requested schema (${JSON.stringify(r.content)})`);
    assert.match((r.content[0] as { text: string }).text, /accept/);
  }
  const defaults = elicited[1]!.mode === 'url' ? undefined : elicited[1]!.requestedSchema.properties;
  assert.equal(Object.fromEntries(Object.entries(defaults!).map(([k, v]) => [k, (v as { default?: unknown }).default])), {
    name: 'John Doe', age: 30, score: 95.5, status: 'active', verified: true,
  });
  const bad = await c.client.callTool('json_schema_2020_12_tool', { name: 'x', contactMethod: 'phone' });
  assert.is(bad.isError, true, 'input is validated against the 2020-12 schema (phone is required here)');
  const good = await c.client.callTool('json_schema_2020_12_tool', { name: 'x', contactMethod: 'phone', phone: '123', address: { city: 'Oslo' } });
  assert.not.ok(good.isError);
  await c.close();
});

answers('resources, the template, subscriptions, prompts and completion', async () => {
  const c = await connect();
  const read = (uri: string) => c.client.peer.request('resources/read', { uri });
  const text = (await read('test://static-text')).contents[0] as unknown as Record<string, string>;
  assert.ok(text.uri && text.mimeType && text.text);
  const binary = (await read('test://static-binary')).contents[0] as unknown as Record<string, string>;
  assert.ok(binary.uri && binary.mimeType && binary.blob);
  assert.match((await read('test://template/123/data')).contents[0]!.uri, /123/);
  assert.match(((await read('test://template/123/data')).contents[0] as { text: string }).text, /123/);
  await c.client.peer.request('resources/subscribe', { uri: 'test://watched-resource' });
  await c.client.peer.request('resources/unsubscribe', { uri: 'test://watched-resource' });
  const args = await c.client.peer.request('prompts/get', { name: 'test_prompt_with_arguments', arguments: { arg1: 'testValue1', arg2: 'testValue2' } });
  assert.match(JSON.stringify(args.messages), /testValue1.*testValue2/);
  const embedded = await c.client.peer.request('prompts/get', { name: 'test_prompt_with_embedded_resource', arguments: { resourceUri: 'test://example-resource' } });
  assert.ok(embedded.messages.some((m) => m.content.type === 'resource'));
  const image = await c.client.peer.request('prompts/get', { name: 'test_prompt_with_image' });
  assert.ok(image.messages.some((m) => m.content.type === 'image'));
  assert.ok((await c.client.peer.request('prompts/get', { name: 'test_simple_prompt' })).messages.length > 0);
  const completion = await c.client.peer.request('completion/complete', { ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' }, argument: { name: 'arg1', value: 'par' } });
  assert.equal(completion.completion.values, ['paris', 'park', 'party']);
  await c.close();
});

answers('test_reconnection over a transport that cannot close connections says so and answers', async () => {
  const c = await connect();
  const r = await c.client.callTool('test_reconnection', {});
  assert.match((r.content[0] as { text: string }).text, /cannot close/);
  await c.close();
});

const polling = suite('fixtures: test_reconnection over Streamable HTTP (2025-11-25 SSE polling)');

const callReconnect = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'test_reconnection', arguments: {} } });

polling('the POST stream ends after the priming event; the result arrives on GET with Last-Event-ID', async () => {
  const f = makeFixture({ closableConnections: true }, (server, handler) => registerFixtures(server, { closeConnection: handler.closeConnection }));
  try {
    const sid = await f.initialize('2025-11-25');
    const headers = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    let retry: number | undefined;
    const first = await readEvents(await f.post(callReconnect(7), headers), Number.POSITIVE_INFINITY, (ms) => { retry = ms; });
    assert.is(first.length, 1, 'only the priming event, then the connection ends');
    assert.is(first[0]!.data, '');
    assert.ok(first[0]!.id);
    assert.type(retry, 'number');
    const resumed = messagesOf(await readEvents(await f.get({ ...headers, 'last-event-id': first[0]!.id! })));
    assert.is(resumed.length, 1);
    assert.is(resumed[0]!.id, 7);
    assert.match(resumed[0]!.result.content[0].text, /client resumed/);
    assert.equal(validateAs('2025-11-25', 'CallToolResult', resumed[0]!.result), []);
  } finally {
    await f.close();
  }
});

polling('in a 2025-06-18 session (no priming events) the connection stays open and the result comes on the POST', async () => {
  const f = makeFixture({ closableConnections: true }, (server, handler) => registerFixtures(server, { closeConnection: handler.closeConnection }));
  try {
    const sid = await f.initialize('2025-06-18');
    const events = await readEvents(await f.post(callReconnect(8), { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' }));
    const messages = messagesOf(events);
    assert.is(messages.length, 1);
    assert.match(messages[0]!.result.content[0].text, /cannot close/);
  } finally {
    await f.close();
  }
});

present.run();
answers.run();
polling.run();
