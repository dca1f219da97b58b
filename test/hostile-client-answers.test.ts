// A client's answer to an elicitation or sampling request is checked before the handler reads
// it: an `action` other than accept/decline/cancel, a sampling `role` other than user/assistant,
// content that is no content block, or a missing model fail the handler's ask with
// MCP_ERR_PROTOCOL (the call becomes a tool error naming the problem). Before, a hostile
// client's `{"action":5}` reached the tool as "the user chose 5", and `{"role":5,"content":null}`
// as a model answer. Found against `mcpwire serve --fixtures`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'mcpwire/server';
import { elicitAnswerProblem, sampleAnswerProblem } from '../server/client-answers.ts';
import { createMemoryPair } from 'mcpwire/transport';

const shapes = suite('server: shape of a client answer');

shapes('elicitation: the three actions pass, anything else is named', () => {
  for (const action of ['accept', 'decline', 'cancel']) assert.is(elicitAnswerProblem({ action, content: {} }), undefined);
  assert.match(elicitAnswerProblem({ action: 5 })!, /"action" must be/);
  assert.match(elicitAnswerProblem({ action: 'ACCEPT' })!, /"action" must be/);
  assert.match(elicitAnswerProblem({ action: 'accept', content: 5 })!, /"content" must be an object/);
});

shapes('sampling: role, content blocks and model are checked', () => {
  assert.is(sampleAnswerProblem({ role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'm' }), undefined);
  assert.is(sampleAnswerProblem({ role: 'assistant', content: [{ type: 'text', text: 'hi' }], model: 'm' }), undefined);
  assert.match(sampleAnswerProblem({ role: 5, content: { type: 'text' }, model: 'm' })!, /"role"/);
  assert.match(sampleAnswerProblem({ role: 'user', content: null, model: 'm' })!, /"content"/);
  assert.match(sampleAnswerProblem({ role: 'user', content: [{ type: 'text' }, 5], model: 'm' })!, /"content"/);
  assert.match(sampleAnswerProblem({ role: 'user', content: { type: 'text', text: 'hi' }, model: {} })!, /"model"/);
});

shapes('sampling: each block of a known type holds its fields (2025-11-25 schema); an unknown type passes', () => {
  const answer = (content: unknown) => sampleAnswerProblem({ role: 'assistant', content, model: 'm' });
  for (const good of [
    { type: 'image', data: 'aGk=', mimeType: 'image/png' },
    { type: 'audio', data: 'aGk=', mimeType: 'audio/wav' },
    [{ type: 'tool_use', id: 'u1', name: 'weather', input: {} }],
    [{ type: 'tool_result', toolUseId: 'u1', content: [] }],
    { type: 'a_later_kind' },
  ]) assert.is(answer(good), undefined, JSON.stringify(good));
  for (const [bad, pattern] of [
    [{ type: 'text' }, /text block needs a string "text"/],
    [{ type: 'text', text: 5 }, /text block/],
    [{ type: 'image', data: 'aGk=' }, /image block needs/],
    [[{ type: 'text', text: 'ok' }, { type: 'audio', mimeType: 'audio/wav' }], /audio block needs/],
    [{ type: 'tool_use', id: 'u1', name: 'w' }, /tool_use block needs/],
    [{ type: 'tool_result', toolUseId: 'u1', content: 'x' }, /tool_result block needs/],
  ] as const) assert.match(answer(bad) ?? '', pattern, JSON.stringify(bad));
});

shapes('end to end: a malformed elicitation or sampling answer becomes a tool error naming it', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'ask', description: 'Elicits.' }, async (_args, ctx) => {
    const answer = await ctx.elicit({ message: 'Go?', requestedSchema: { type: 'object', properties: { go: { type: 'boolean' } } } });
    return `the user chose ${String(answer.action)}`;
  });
  server.tool({ name: 'model', description: 'Samples.' }, async (_args, ctx) => {
    const answer = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 5 });
    return `the model said ${JSON.stringify(answer.content)}`;
  });
  // A raw client (ours refuses to send such answers): it answers every question with `reply`.
  const [clientEnd, serverEnd] = createMemoryPair();
  await server.connect(serverEnd);
  const replies: Record<string, unknown> = { 'elicitation/create': { action: 5 }, 'sampling/createMessage': { role: 5, content: null, model: {} } };
  const results = new Map<unknown, Record<string, any>>();
  let wake: (() => void) | undefined;
  await clientEnd.start({
    onMessage(value) {
      const m = value as Record<string, any>;
      if (m.method && m.id !== undefined) void clientEnd.send({ jsonrpc: '2.0', id: m.id, result: replies[m.method] } as never);
      else if (m.id !== undefined) { results.set(m.id, m); wake?.(); }
    },
    onClose() {}, onError() {},
  });
  const call = async (id: number, method: string, params: Record<string, unknown>) => {
    await clientEnd.send({ jsonrpc: '2.0', id, method, params } as never);
    while (!results.has(id)) await new Promise<void>((resolve) => { wake = resolve; });
    return results.get(id)!;
  };
  try {
    await call(0, 'initialize', { protocolVersion: '2025-11-25', capabilities: { elicitation: {}, sampling: {} }, clientInfo: { name: 'raw', version: '1' } });
    await clientEnd.send({ jsonrpc: '2.0', method: 'notifications/initialized' } as never);
    const asked = (await call(1, 'tools/call', { name: 'ask' })).result;
    assert.is(asked.isError, true);
    assert.match(JSON.stringify(asked.content), /elicitation answer is malformed: \\"action\\" must be/);
    const sampled = (await call(2, 'tools/call', { name: 'model' })).result;
    assert.is(sampled.isError, true);
    assert.match(JSON.stringify(sampled.content), /sampling answer is malformed: \\"role\\"/);
  } finally {
    await clientEnd.close();
    await server.close();
  }
});

shapes.run();
