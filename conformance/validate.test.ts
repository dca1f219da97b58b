// Whole exchanges validate clean per version; corrupted ones name the right definition.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpError } from 'mcpwire/protocol';
import type { Direction } from './method-map.ts';
import { resolveSchemaDir } from './schema.ts';
import { createMessageValidator, RULES, validateAs, type Violation } from './validate.ts';

type Msg = Record<string, unknown>;
type Step = { direction: Direction; message: Msg };
const C2S: Direction = 'client-to-server';
const S2C: Direction = 'server-to-client';
const LEGACY = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;
type Legacy = (typeof LEGACY)[number] | '2024-11-05';

const req = (id: string | number | null, method: string, params?: Msg): Msg =>
  params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
const note = (method: string, params?: Msg): Msg => (params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
const ok = (id: string | number, result: Msg): Msg => ({ jsonrpc: '2.0', id, result });
const fail = (id: string | number, code: number, message: string): Msg => ({ jsonrpc: '2.0', id, error: { code, message } });

/** initialize .. tools/list .. tools/call with progress and a server->client request .. an error. */
function legacyExchange(version: Legacy): Step[] {
  const elicitation = version >= '2025-06-18'; // client/elicitation arrived in 2025-06-18
  const steps: Step[] = [
    { direction: C2S, message: req(1, 'initialize', {
      protocolVersion: version,
      capabilities: elicitation ? { elicitation: {} } : { roots: { listChanged: true } },
      clientInfo: { name: 'test-client', version: '1.0.0' },
    }) },
    { direction: S2C, message: ok(1, {
      protocolVersion: version,
      capabilities: { tools: { listChanged: true }, logging: {} },
      serverInfo: { name: 'test-server', version: '1.0.0' },
    }) },
    { direction: C2S, message: note('notifications/initialized') },
    { direction: C2S, message: req(2, 'tools/list') },
    { direction: S2C, message: ok(2, { tools: [{
      name: 'weather',
      description: 'Current weather',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    }] }) },
    { direction: C2S, message: req(3, 'tools/call', { name: 'weather', arguments: { city: 'Paris' }, _meta: { progressToken: 'tok-3' } }) },
    { direction: S2C, message: note('notifications/progress', { progressToken: 'tok-3', progress: 1, total: 3 }) },
    { direction: S2C, message: note('notifications/message', { level: 'info', data: 'fetching' }) },
    { direction: S2C, message: note('notifications/progress', { progressToken: 'tok-3', progress: 2, total: 3 }) },
  ];
  if (elicitation) {
    steps.push(
      { direction: S2C, message: req('srv-1', 'elicitation/create', {
        message: 'Which unit?',
        requestedSchema: { type: 'object', properties: { unit: { type: 'string', enum: ['C', 'F'] } }, required: ['unit'] },
      }) },
      { direction: C2S, message: ok('srv-1', { action: 'accept', content: { unit: 'C' } }) },
    );
  } else {
    steps.push({ direction: S2C, message: req('srv-1', 'ping') }, { direction: C2S, message: ok('srv-1', {}) });
  }
  steps.push(
    { direction: S2C, message: ok(3, { content: [{ type: 'text', text: '21 C' }], isError: false }) },
    { direction: C2S, message: req(4, 'tools/call', { name: 'nope' }) },
    { direction: S2C, message: fail(4, -32602, 'Unknown tool: nope') },
    { direction: C2S, message: req(5, 'ping') },
    { direction: S2C, message: ok(5, {}) },
  );
  return steps;
}

function run(version: string, steps: readonly Step[]): Violation[] {
  const validator = createMessageValidator(version);
  return steps.flatMap((s) => validator.validate(s.message, s.direction));
}

const summary = (vs: readonly Violation[]): string => vs.map((v) => `${v.definition}: ${v.message}`).join('\n');

/** Replace the message of the step matching `pick`. */
function corrupt(steps: readonly Step[], pick: (m: Msg) => boolean, replace: (m: Msg) => Msg): Step[] {
  let hit = 0;
  const out = steps.map((s) => (pick(s.message) ? (hit++, { ...s, message: replace(structuredClone(s.message)) }) : s));
  assert.is(hit, 1, 'exactly one step corrupted');
  return out;
}

const resultFor = (id: number | string) => (m: Msg): boolean => m.id === id && 'result' in m;

const Clean = suite('hand-written exchanges validate clean');

for (const version of [...LEGACY, '2024-11-05'] as const) {
  Clean(`${version}`, () => {
    const violations = run(version, legacyExchange(version));
    assert.is(violations.length, 0, summary(violations));
  });
}

Clean('2026-07-28: discover, input required, retry, tools/list (from the spec examples)', () => {
  const example = (type: string, file: string): Msg =>
    JSON.parse(readFileSync(join(resolveSchemaDir(), '2026-07-28', 'examples', type, file), 'utf8')) as Msg;
  const call = example('CallToolRequest', 'call-tool-request.json');
  const inputRequired = example('InputRequiredResult', 'input-required-result-with-request-state-only.json');
  const steps: Step[] = [
    { direction: C2S, message: example('DiscoverRequest', 'server-discover-request.json') },
    { direction: S2C, message: example('DiscoverResultResponse', 'discover-result-response.json') },
    { direction: C2S, message: { ...call, id: 'c-1' } },
    { direction: S2C, message: ok('c-1', inputRequired) },
    { direction: C2S, message: { ...call, id: 'c-2', params: { ...(call.params as Msg), requestState: inputRequired.requestState } } },
    { direction: S2C, message: { ...example('CallToolResultResponse', 'call-tool-result-response.json'), id: 'c-2' } },
  ];
  assert.is((steps[0]?.message as Msg).id, (steps[1]?.message as Msg).id, 'the examples pair up');
  const violations = run('2026-07-28', steps);
  assert.is(violations.length, 0, summary(violations));
});

Clean.run();

const Corrupt = suite('corrupted exchanges name the definition they break');

for (const version of LEGACY) {
  const base = legacyExchange(version);
  const errorDef = version === '2025-11-25' ? 'JSONRPCErrorResponse' : 'JSONRPCError';

  Corrupt(`${version}: CallToolResult with content "x"`, () => {
    const vs = run(version, corrupt(base, resultFor(3), (m) => ({ ...m, result: { content: 'x' } })));
    assert.is(vs.length, 1, summary(vs));
    assert.is(vs[0]?.definition, 'CallToolResult');
    assert.is(vs[0]?.path, '/result/content');
    assert.is(vs[0]?.direction, S2C);
    assert.is(vs[0]?.version, version);
    assert.match(vs[0]?.detail ?? '', /must be array/);
  });

  Corrupt(`${version}: a tools/list result without tools`, () => {
    const vs = run(version, corrupt(base, resultFor(2), (m) => ({ ...m, result: {} })));
    assert.equal(vs.map((v) => v.definition), ['ListToolsResult'], summary(vs));
    assert.match(vs[0]?.detail ?? '', /tools/);
  });

  Corrupt(`${version}: an initialize result without serverInfo`, () => {
    const vs = run(version, corrupt(base, resultFor(1), (m) => ({ ...m, result: { ...(m.result as Msg), serverInfo: undefined } })));
    assert.equal(vs.map((v) => v.definition), ['InitializeResult'], summary(vs));
  });

  Corrupt(`${version}: a tools/call request without a name`, () => {
    const vs = run(version, corrupt(base, (m) => m.id === 4 && 'method' in m, (m) => ({ ...m, params: {} })));
    assert.equal(vs.map((v) => v.definition), ['CallToolRequest'], summary(vs));
  });

  Corrupt(`${version}: an error response whose code is a string`, () => {
    const vs = run(version, corrupt(base, (m) => 'error' in m, (m) => ({ ...m, error: { code: 'bad', message: 'x' } })));
    assert.equal(vs.map((v) => v.definition), [errorDef], summary(vs));
  });

  Corrupt(`${version}: a progress notification without a token`, () => {
    const vs = run(version, corrupt(base, (m) => m.method === 'notifications/progress' && (m.params as Msg).progress === 2, (m) => ({ ...m, params: { progress: 2 } })));
    assert.equal(vs.map((v) => v.definition), ['ProgressNotification'], summary(vs));
  });

  Corrupt(`${version}: a server->client result of the wrong shape`, () => {
    const vs = run(version, corrupt(base, resultFor('srv-1'), (m) => ({ ...m, result: version === '2025-03-26' ? [] : { action: 'maybe' } })));
    assert.is(vs.length >= 1, true, 'violations found');
    assert.is(vs[0]?.definition, version === '2025-03-26' ? 'JSONRPCResponse' : 'ElicitResult', summary(vs));
    assert.is(vs[0]?.direction, C2S);
  });
}

Corrupt('2025-06-18: a request without jsonrpc fails the envelope (typed definitions lack it)', () => {
  const vs = run('2025-06-18', corrupt(legacyExchange('2025-06-18'), (m) => m.id === 2 && 'method' in m, (m) => ({ id: m.id, method: m.method })));
  assert.equal(vs.map((v) => v.definition), ['JSONRPCRequest'], summary(vs));
});

Corrupt('2025-03-26: elicitation/create did not exist yet', () => {
  const steps = legacyExchange('2025-06-18').map((s) => ({
    ...s,
    message: s.message.method === 'initialize' ? { ...s.message, params: { ...(s.message.params as Msg), protocolVersion: '2025-03-26' } } : s.message,
  }));
  const vs = run('2025-03-26', steps);
  const unknown = vs.filter((v) => v.definition === 'ServerRequest');
  assert.is(unknown.length, 1, summary(vs));
  assert.match(unknown[0]?.message ?? '', 'method "elicitation/create" not in 2025-03-26 server-to-client requests');
});

Corrupt.run();

const Rules = suite('rules the schemas cannot state');

Rules('unknown methods, with a hint when the other side owns them', () => {
  const v = createMessageValidator('2025-11-25');
  const [typo] = v.validate(req(1, 'tools/lisst'), C2S);
  assert.is(typo?.definition, 'ClientRequest');
  assert.is(typo?.message, 'tools/lisst request: method "tools/lisst" not in 2025-11-25 client-to-server requests');
  const [wrongWay] = v.validate(req(2, 'elicitation/create', { message: 'x', requestedSchema: { type: 'object', properties: {} } }), C2S);
  assert.match(wrongWay?.message ?? '', 'it is a server-to-client request');
  const [unknownNote] = v.validate(note('notifications/whatever'), S2C);
  assert.is(unknownNote?.definition, 'ServerNotification');
  // 2026-07-28 basic/transports: a server request is its own rule, not a schema miss.
  const modern = createMessageValidator('2026-07-28').validate(req(1, 'ping'), S2C);
  assert.equal(modern.map((x) => x.definition), [RULES.ServerRequest]);
  assert.is(modern[0]?.message, 'ping request (id 1): a 2026-07-28 server sends no JSON-RPC requests (elicitation, sampling and roots are asked for in an InputRequiredResult)');
  // basic/transports: "clients do not send JSON-RPC responses": its own rule, said once (no
  // correlation or ClientResult finding beside it), for results and errors alike.
  const answer = createMessageValidator('2026-07-28');
  const sent = answer.validate(ok('roots-1', { roots: [] }), C2S);
  assert.equal(sent.map((x) => x.definition), [RULES.ClientResponse]);
  assert.is(sent[0]?.message, 'result response (id "roots-1"): a 2026-07-28 client sends no JSON-RPC responses (input is answered by retrying the request with inputResponses)');
  assert.equal(answer.validate({ jsonrpc: '2.0', id: 3, error: { code: -1, message: 'declined' } }, C2S).map((x) => x.definition), [RULES.ClientResponse]);
  assert.equal(createMessageValidator('2025-11-25').validate(ok(5, {}), C2S).map((x) => x.definition), [RULES.ResponseMatchesRequest], '2025-11-25: a response is allowed, it only answers nothing here');
  // A client request the modern era lacks stays a schema finding.
  assert.is(createMessageValidator('2026-07-28').validate(req(2, 'tools/lisst'), C2S)[0]?.definition, 'ClientRequest');
});

Rules('request ids: never null, never reused by one sender (2026: while outstanding)', () => {
  const v = createMessageValidator('2025-11-25');
  const nulls = v.validate(req(null, 'ping'), C2S);
  assert.ok(nulls.some((x) => x.definition === RULES.RequestIdNotNull), summary(nulls));
  assert.equal(v.validate(req(7, 'ping'), C2S), []);
  assert.equal(v.validate(ok(7, {}), S2C), []);
  assert.equal(v.validate(req(7, 'ping'), S2C), [], 'the other sender may use the same id');
  assert.equal(v.validate(req('7', 'ping'), C2S), [], '"7" and 7 are different ids');
  assert.equal(v.validate(req(7, 'ping'), C2S).map((x) => x.definition), [RULES.RequestIdUnique], 'reused after its answer');
  const modern = createMessageValidator('2026-07-28');
  const discover = (id: string): Msg => req(id, 'server/discover', {
    _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} },
  });
  assert.equal(modern.validate(discover('d'), C2S), []);
  assert.equal(modern.validate(discover('d'), C2S).map((x) => x.definition), [RULES.RequestIdUnique], 'outstanding');
});

Rules('responses must answer an outstanding request of the other side', () => {
  const v = createMessageValidator('2025-11-25');
  assert.equal(v.validate(ok(99, {}), S2C).map((x) => x.definition), [RULES.ResponseMatchesRequest]);
  v.validate(req(1, 'ping'), C2S);
  assert.equal(v.validate(ok(1, {}), C2S).map((x) => x.definition), [RULES.ResponseMatchesRequest], 'wrong direction');
  assert.equal(v.validate(ok(1, {}), S2C), []);
  assert.equal(v.validate(ok(1, {}), S2C).map((x) => x.definition), [RULES.ResponseMatchesRequest], 'answered twice');
  assert.equal(v.validate({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } }, S2C), [], 'no id: unreadable request');
  for (const id of [null, undefined]) {
    const answer = { jsonrpc: '2.0', ...(id === undefined ? {} : { id }), result: {} };
    assert.equal(v.validate(answer, S2C).map((x) => x.definition), [RULES.ResponseMatchesRequest], `a result with id ${String(id)} (a notification answered) is named once`);
  }
});

Rules('a response with both result and error is named once by its rule, and its result still checked', () => {
  const v = createMessageValidator('2025-11-25');
  v.validate(req(1, 'ping'), C2S);
  assert.equal(v.validate({ ...ok(1, {}), error: null }, S2C).map((x) => x.definition), [RULES.ResultXorError]);
  v.validate(req(2, 'tools/list'), C2S);
  assert.equal(v.validate({ ...ok(2, { tools: 'none' }), error: null }, S2C).map((x) => x.definition), [RULES.ResultXorError, 'ListToolsResult']);
});

Rules('progress must name a token a request gave; after the response it is not held against the sender', () => {
  const v = createMessageValidator('2025-11-25');
  const progress = (token: string | number, p: number): Msg => note('notifications/progress', { progressToken: token, progress: p });
  assert.equal(v.validate(progress('t', 1), S2C).map((x) => x.definition), [RULES.ProgressToken], 'no request gave it');
  v.validate(req(1, 'tools/call', { name: 'x', _meta: { progressToken: 't' } }), C2S);
  assert.equal(v.validate(progress('t', 2), S2C), []);
  assert.equal(v.validate(progress(1, 3), S2C).map((x) => x.definition), [RULES.ProgressToken], 'the request id is not its token');
  v.validate(ok(1, { content: [] }), S2C);
  assert.equal(v.validate(progress('t', 4), S2C), [], 'crossed its response on another stream');
});

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
  assert.is(named?.message, 'elicitation/create request (id 2): the form asks for "apiKey", which names a secret ("api key"): a form must not ask for secrets (passwords, API keys, tokens, payment data); ask for them in URL mode');
  const [titled] = legacy.validate(req(3, 'elicitation/create', form({ pw: { type: 'string', title: 'Your Password' } }, 'form')), S2C);
  assert.is(titled?.detail.startsWith('the form asks for "pw" (titled "Your Password"), which names a secret ("password"):'), true, titled?.detail);
  assert.equal(legacy.validate(req(4, 'elicitation/create', { mode: 'url', message: 'Enter your password there', url: 'https://x.example/password', elicitationId: 'e' }), S2C), [], 'URL mode is where secrets go');
  const modern = createMessageValidator('2026-07-28');
  modern.validate(req(5, 'tools/call', { name: 'pay', arguments: {}, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } } }), C2S);
  const asks = { card: { method: 'elicitation/create', params: form({ card_number: { type: 'string' } }) } };
  const [inRound] = modern.validate(ok(5, { resultType: 'input_required', inputRequests: asks }), S2C);
  assert.is(inRound?.definition, RULES.FormSecret);
  assert.is(inRound?.path, '/result/inputRequests/card/params/requestedSchema/properties/card_number');
});

Rules('progress must increase per token; a new request resets its token', () => {
  const v = createMessageValidator('2025-06-18');
  const progress = (p: number): Msg => note('notifications/progress', { progressToken: 't', progress: p });
  v.validate(req(1, 'tools/call', { name: 'x', _meta: { progressToken: 't' } }), C2S);
  assert.equal(v.validate(progress(1), S2C), []);
  assert.equal(v.validate(progress(1.5), S2C), []);
  const [same] = v.validate(progress(1.5), S2C);
  assert.is(same?.definition, RULES.ProgressIncreases);
  assert.is(same?.path, '/params/progress');
  assert.is(v.validate(progress(0), S2C)[0]?.definition, RULES.ProgressIncreases);
  v.validate(ok(1, { content: [] }), S2C);
  v.validate(req(2, 'tools/call', { name: 'x', _meta: { progressToken: 't' } }), C2S);
  assert.equal(v.validate(progress(1), S2C), [], 'a new request with the same token starts again');
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

Rules('batches: each element in 2025-03-26, refused elsewhere', () => {
  const v = createMessageValidator('2025-03-26');
  assert.equal(v.validate([req(1, 'ping'), note('notifications/initialized'), req(2, 'tools/list')], C2S), []);
  assert.equal(v.validate([ok(1, {}), ok(2, { tools: [] })], S2C), []);
  const bad = v.validate([req(3, 'ping'), ok(4, {})], C2S).map((x) => x.definition);
  assert.ok(bad.includes(RULES.Batch), 'mixed batch');
  assert.equal(v.validate([], C2S).map((x) => x.definition), [RULES.Batch], 'empty batch');
  const element = v.validate([req(5, 'tools/call', {})], C2S);
  assert.equal(element.map((x) => x.definition), ['CallToolRequest']);
  assert.equal(element[0]?.raw, req(5, 'tools/call', {}), 'raw is the element');
  const later = createMessageValidator('2025-06-18').validate([req(1, 'ping')], C2S);
  assert.equal(later.map((x) => x.definition), [RULES.Batch]);
});

Rules('non-messages, unknown versions, per-call version, reset', () => {
  const v = createMessageValidator('2025-11-25');
  assert.is(v.validate('hello', C2S)[0]?.definition, 'JSONRPCMessage');
  assert.is(v.validate({ jsonrpc: '2.0', id: 1 }, C2S)[0]?.definition, 'JSONRPCMessage');
  assert.is(v.validate(req(1, 'ping'), C2S, { version: '1999-01-01' })[0]?.definition, RULES.KnownVersion);
  // elicitation/create is unknown at 2025-03-26 but fine at 2025-06-18.
  const elicit = req('e', 'elicitation/create', { message: 'x', requestedSchema: { type: 'object', properties: {} } });
  assert.is(v.validate(elicit, S2C, { version: '2025-03-26' })[0]?.definition, 'ServerRequest');
  v.reset();
  assert.equal(v.validate(elicit, S2C, { version: '2025-06-18' }), [], 'reset forgot the id');
});

Rules('a notification answered (a result with id null) is said once, by its rule, in each era', () => {
  for (const version of ['2025-11-25', '2026-07-28'] as const) {
    const got = createMessageValidator(version).validate({ jsonrpc: '2.0', id: null, result: {} }, S2C);
    assert.equal(got.map((x) => x.definition), [RULES.ResponseMatchesRequest], `${version}: ${summary(got)}`);
  }
});

Rules('validation never changes the message', () => {
  const steps = legacyExchange('2025-11-25');
  const before = JSON.stringify(steps);
  run('2025-11-25', steps);
  assert.is(JSON.stringify(steps), before);
});

Rules('validateAs checks one definition directly', () => {
  assert.equal(validateAs('2025-11-25', 'Tool', { name: 't', inputSchema: { type: 'object' } }), []);
  const [v] = validateAs('2025-11-25', 'Tool', { name: 't' });
  assert.is(v?.definition, 'Tool');
  assert.is(v?.direction, undefined);
  assert.match(v?.detail ?? '', 'inputSchema');
  assert.throws(() => validateAs('2025-11-25', 'Nope', {}), (e: unknown) => e instanceof McpError);
  assert.throws(() => validateAs('1999-01-01', 'Tool', {}), (e: unknown) => e instanceof McpError);
});

Rules.run();
