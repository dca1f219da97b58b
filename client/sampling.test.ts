// Sampling with tools (2025-11-25 client/sampling, SEP-1577): what the client refuses to
// take from a server, and what it refuses to send back.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CreateMessageParams, CreateMessageResult, SamplingMessage } from '../protocol/index.ts';
import { samplingRequestProblem, samplingResultProblem } from './sampling.ts';

const weather = { name: 'get_weather', inputSchema: { type: 'object' as const, properties: { city: { type: 'string' } } } };
const ask = (messages: SamplingMessage[], extra: Partial<CreateMessageParams> = {}): CreateMessageParams => ({ messages, maxTokens: 100, ...extra });
const user = (text: string): SamplingMessage => ({ role: 'user', content: { type: 'text', text } });
const uses = (...ids: string[]): SamplingMessage => ({ role: 'assistant', content: ids.map((id) => ({ type: 'tool_use', id, name: 'get_weather', input: { city: id } })) });
const results = (...ids: string[]): SamplingMessage => ({ role: 'user', content: ids.map((id) => ({ type: 'tool_result', toolUseId: id, content: [{ type: 'text', text: 'sunny' }] })) });
const WITH_TOOLS = { sampling: { tools: {} } };

const requests = suite('samplingRequestProblem');

requests('tools need the sampling.tools capability', () => {
  assert.match(samplingRequestProblem(ask([user('hi')], { tools: [weather] }), { sampling: {} }) ?? '', /sampling\.tools/);
  assert.match(samplingRequestProblem(ask([user('hi')], { toolChoice: { mode: 'auto' } }), { sampling: {} }) ?? '', /sampling\.tools/);
  assert.is(samplingRequestProblem(ask([user('hi')], { tools: [weather], toolChoice: { mode: 'required' } }), WITH_TOOLS), undefined);
  assert.is(samplingRequestProblem(ask([user('hi')]), { sampling: {} }), undefined);
});

requests('a full tool loop, with parallel calls, is accepted', () => {
  const loop = ask([user('weather?'), uses('a', 'b'), results('b', 'a'), { role: 'assistant', content: { type: 'text', text: 'sunny' } }, user('thanks')], { tools: [weather] });
  assert.is(samplingRequestProblem(loop, WITH_TOOLS), undefined);
});

requests('missing, unknown, mixed and misplaced tool results are refused', () => {
  const cases: Array<[SamplingMessage[], RegExp]> = [
    [[user('q'), uses('a', 'b'), results('a')], /no tool_result for tool_use \["b"\]/],
    [[user('q'), uses('a'), results('a', 'z')], /unknown tool_use \["z"\]/],
    [[user('q'), uses('a'), { role: 'user', content: [{ type: 'tool_result', toolUseId: 'a', content: [] }, { type: 'text', text: 'and' }] }], /only tool_result/],
    [[user('q'), uses('a'), user('never mind')], /must be answered first/],
    [[user('q'), results('a')], /answer no preceding tool_use/],
    [[user('q'), { role: 'assistant', content: [{ type: 'tool_result', toolUseId: 'a', content: [] }] }], /belongs in a user message/],
    [[{ role: 'user', content: [{ type: 'tool_use', id: 'a', name: 'x', input: {} }] }], /belongs in an assistant message/],
  ];
  for (const [messages, pattern] of cases) assert.match(samplingRequestProblem(ask(messages, { tools: [weather] }), WITH_TOOLS) ?? '', pattern);
});

requests.run();

const answers = suite('samplingResultProblem');
const reply = (content: CreateMessageResult['content']): CreateMessageResult => ({ role: 'assistant', model: 'm', content });

answers('tool use only when tools were offered, allowed, and named', () => {
  const call = { type: 'tool_use' as const, id: '1', name: 'get_weather', input: {} };
  assert.is(samplingResultProblem(ask([user('q')], { tools: [weather] }), { ...reply([call]), stopReason: 'toolUse' }), undefined);
  assert.match(samplingResultProblem(ask([user('q')]), reply(call)) ?? '', /offered none/);
  assert.match(samplingResultProblem(ask([user('q')], { tools: [weather], toolChoice: { mode: 'none' } }), reply(call)) ?? '', /"none"/);
  assert.match(samplingResultProblem(ask([user('q')], { tools: [weather] }), reply({ ...call, name: 'rm_rf' })) ?? '', /did not offer: \["rm_rf"\]/);
  assert.match(samplingResultProblem(ask([user('q')]), reply({ type: 'tool_result', toolUseId: '1', content: [] })) ?? '', /tool_result/);
  assert.is(samplingResultProblem(ask([user('q')]), reply({ type: 'text', text: 'hi' })), undefined);
});

answers('toolChoice "required": a plain answer only after the conversation used a tool', () => {
  const required = { tools: [weather], toolChoice: { mode: 'required' as const } };
  const text = reply({ type: 'text', text: 'sunny' });
  assert.match(samplingResultProblem(ask([user('weather?')], required), text) ?? '', /without a tool under toolChoice "required"/);
  assert.is(samplingResultProblem(ask([user('weather?'), uses('a'), results('a')], required), text), undefined);
  assert.is(samplingResultProblem(ask([user('weather?')], required), { ...reply([{ type: 'tool_use', id: '1', name: 'get_weather', input: {} }]), stopReason: 'toolUse' }), undefined);
  assert.is(samplingResultProblem(ask([user('weather?')], { tools: [weather], toolChoice: { mode: 'auto' } }), text), undefined);
});

answers.run();
