// The validator's feature rules the schemas cannot state: roots, forms, tasks, results, logging.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMessageValidator, RULES } from './validate.ts';
import { C2S, fail, type Msg, note, ok, req, S2C, summary } from './validate-exchange-fixture.ts';

const Rules = suite('feature rules the schemas cannot state');

Rules('a root the client lists must be a file:// URI, as a roots/list result and in a 2026-07-28 retry', () => {
  const legacy = createMessageValidator('2025-11-25');
  legacy.validate(req(1, 'roots/list'), S2C);
  assert.equal(legacy.validate(ok(1, { roots: [{ uri: 'FILE:///home/a' }, { uri: 'file:///b', name: 'b' }] }), C2S), [], 'file:// in any case');
  legacy.validate(req(2, 'roots/list'), S2C);
  const [foreign, ...more] = legacy.validate(ok(2, { roots: [{ uri: 'file:///a' }, { uri: 'https://workspace.example/a' }] }), C2S);
  assert.equal(more, []);
  assert.is(foreign?.definition, RULES.RootUri);
  assert.is(foreign?.path, '/result/roots/1/uri');
  assert.is(foreign?.message, 'result response to roots/list (id 2): root "https://workspace.example/a" is not a file:// URI (a root\'s uri must start with file://)');
  legacy.validate(req(3, 'tools/list'), C2S);
  assert.equal(legacy.validate(ok(3, { tools: [], roots: [{ uri: 'https://x.example' }] }), S2C), [], 'only a roots/list answer is held to it');
  const modern = createMessageValidator('2026-07-28');
  const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': { roots: {} } };
  const retry = (uri: string) => req(4, 'tools/call', { name: 'x', arguments: {}, inputResponses: { 'a/b': { roots: [{ uri }] } }, requestState: 's', _meta: meta });
  assert.equal(modern.validate(retry('file:///w'), C2S), []);
  const [inRetry] = modern.validate(retry('s3://bucket/w'), C2S);
  assert.is(inRetry?.definition, RULES.RootUri);
  assert.is(inRetry?.path, '/params/inputResponses/a~1b/roots/0/uri');
});

Rules('a form-mode elicitation must not ask for a secret by a field\'s name or title, in either era', () => {
  const legacy = createMessageValidator('2025-11-25');
  const form = (properties: Msg, mode?: string): Msg => ({ ...(mode ? { mode } : {}), message: 'Sign in', requestedSchema: { type: 'object', properties } });
  assert.equal(legacy.validate(req(1, 'elicitation/create', form({ name: { type: 'string', description: 'never your password' } })), S2C), [], 'a description is not read');
  const [named] = legacy.validate(req(2, 'elicitation/create', form({ user: { type: 'string' }, apiKey: { type: 'string' } })), S2C);
  assert.is(named?.definition, RULES.FormSecret);
  assert.is(named?.path, '/params/requestedSchema/properties/apiKey');
  assert.is(named?.message, 'elicitation/create request (id 2): the form asks for "apiKey", whose name reads as a secret ("api key"): a form must not ask for secrets (passwords, API keys, tokens, payment data); ask for them in URL mode');
  const [titled] = legacy.validate(req(3, 'elicitation/create', form({ pw: { type: 'string', title: 'Your Password' } }, 'form')), S2C);
  assert.is(titled?.detail.startsWith('the form asks for "pw" (titled "Your Password"), whose title reads as a secret ("password"):'), true, titled?.detail);
  assert.equal(legacy.validate(req(4, 'elicitation/create', { mode: 'url', message: 'Enter your password there', url: 'https://x.example/password', elicitationId: 'e' }), S2C), [], 'URL mode is where secrets go');
  const modern = createMessageValidator('2026-07-28');
  modern.validate(req(5, 'tools/call', { name: 'pay', arguments: {}, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } } }), C2S);
  const asks = { card: { method: 'elicitation/create', params: form({ card_number: { type: 'string' } }) } };
  const [inRound] = modern.validate(ok(5, { resultType: 'input_required', inputRequests: asks }), S2C);
  assert.is(inRound?.definition, RULES.FormSecret);
  assert.is(inRound?.path, '/result/inputRequests/card/params/requestedSchema/properties/card_number');
});

Rules('2025-11-25 tasks: CreateTaskResult is accepted for a task-augmented call', () => {
  const v = createMessageValidator('2025-11-25');
  const created = { task: { taskId: 't-1', status: 'working', createdAt: '2025-11-25T10:00:00Z', lastUpdatedAt: '2025-11-25T10:00:00Z', ttl: 60000 } };
  v.validate(req(1, 'tools/call', { name: 'slow', task: { ttl: 60000 } }), C2S);
  assert.equal(v.validate(ok(1, created), S2C), []);
  v.validate(req(2, 'tools/call', { name: 'slow' }), C2S);
  assert.equal(v.validate(ok(2, created), S2C), [], 'either is tried');
  v.validate(req(3, 'tools/call', { name: 'slow', task: { ttl: 60000 } }), C2S);
  const vs = v.validate(ok(3, { task: { taskId: 't-3' } }), S2C);
  assert.is(vs[0]?.definition, 'CreateTaskResult', 'the expected definition is named first');
  assert.match(vs[0]?.message ?? '', 'nor CallToolResult');
});

Rules('2026-07-28: resultType values and InputRequiredResult rules', () => {
  const v = createMessageValidator('2026-07-28');
  const meta = { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } };
  const tools = { tools: [], ttlMs: 60000, cacheScope: 'public' };
  v.validate(req(1, 'tools/list', meta), C2S);
  assert.equal(v.validate(ok(1, { ...tools, resultType: 'complete' }), S2C), []);
  v.validate(req(11, 'tools/list', meta), C2S);
  assert.equal(v.validate(ok(11, { ...tools, resultType: 'later' }), S2C).map((x) => x.definition), [RULES.ResultType]);
  v.validate(req(2, 'tools/list', meta), C2S);
  const vs = v.validate(ok(2, { resultType: 'input_required', requestState: 's' }), S2C);
  assert.ok(vs.some((x) => x.definition === RULES.InputRequired && /tools\/list cannot/.test(x.detail)), summary(vs));
  v.validate(req(3, 'tools/call', { ...meta, name: 'x' }), C2S);
  assert.equal(v.validate(ok(3, { resultType: 'input_required' }), S2C).map((x) => x.definition), [RULES.InputRequired]);
  v.validate(req(4, 'tools/list', meta), C2S);
  const tasksMeta = { _meta: { ...meta._meta, 'io.modelcontextprotocol/clientCapabilities': { extensions: { 'io.modelcontextprotocol/tasks': {} } } } };
  v.validate(req(5, 'tools/call', { ...tasksMeta, name: 'x' }), C2S);
  assert.equal(v.validate(ok(5, { resultType: 'task', task: { taskId: 't' } }), S2C), [], 'task results: common fields only');
  const missing = v.validate(ok(4, tools), S2C);
  assert.equal(missing.map((x) => x.definition), ['ListToolsResult'], 'resultType is required');
  assert.match(missing[0]?.detail ?? '', 'resultType');
});

Rules('2026-07-28: logs only after a request set a logLevel; tasks only for requests declaring the extension', () => {
  const meta = (extra: Msg = {}, caps: Msg = {}): Msg => ({ _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': caps, ...extra } });
  const log = note('notifications/message', { level: 'info', data: 'working' });
  const v = createMessageValidator('2026-07-28');
  v.validate(req(1, 'tools/call', { ...meta(), name: 'x' }), C2S);
  assert.equal(v.validate(log, S2C).map((x) => x.definition), [RULES.LogUnasked], 'no request asked for logs');
  const task = { resultType: 'task', taskId: 't', status: 'working', createdAt: '2026-01-01T00:00:00Z', lastUpdatedAt: '2026-01-01T00:00:00Z', ttlMs: null };
  assert.equal(v.validate(ok(1, task), S2C).map((x) => x.definition), [RULES.TaskUnasked], 'a task for a request without the extension');
  // An earlier declaration does not count for a later request ("regardless of prior declarations").
  v.validate(req(2, 'tools/call', { ...meta({}, { extensions: { 'io.modelcontextprotocol/tasks': {} } }), name: 'x' }), C2S);
  assert.equal(v.validate(ok(2, task), S2C), []);
  v.validate(req(3, 'tools/call', { ...meta(), name: 'x' }), C2S);
  assert.equal(v.validate(ok(3, task), S2C).map((x) => x.definition), [RULES.TaskUnasked]);
  v.validate(req(4, 'tools/call', { ...meta({ 'io.modelcontextprotocol/logLevel': 'info' }), name: 'x' }), C2S);
  assert.equal(v.validate(log, S2C), [], 'a request asked for logs');
  // Earlier eras log without a per-request level (logging/setLevel sets the session's).
  assert.equal(createMessageValidator('2025-11-25').validate(log, S2C), []);
});

Rules('2025-11-25: after logging/setLevel is acknowledged, no log below its level', () => {
  const v = createMessageValidator('2025-11-25');
  const at = (level: string) => note('notifications/message', { level, data: 'x' });
  v.validate(req(1, 'logging/setLevel', { level: 'warning' }), C2S);
  assert.equal(v.validate(at('debug'), S2C), [], 'not yet acknowledged: it may cross the request');
  v.validate(ok(1, {}), S2C);
  assert.equal(v.validate(at('info'), S2C).map((x) => x.definition), [RULES.LogBelowLevel]);
  assert.equal(v.validate(at('warning'), S2C), []);
  assert.equal(v.validate(at('error'), S2C), []);
  v.validate(req(2, 'logging/setLevel', { level: 'debug' }), C2S);
  v.validate(fail(2, -32602, 'no'), S2C);
  assert.equal(v.validate(at('info'), S2C).map((x) => x.definition), [RULES.LogBelowLevel], 'a refused setLevel changes nothing');
  v.validate(req(3, 'logging/setLevel', { level: 'debug' }), C2S);
  v.validate(ok(3, {}), S2C);
  assert.equal(v.validate(at('debug'), S2C), []);
});

Rules.run();
