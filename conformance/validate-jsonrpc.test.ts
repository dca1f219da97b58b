// The validator's JSON-RPC rules the schemas cannot state: methods, ids, responses, progress, batches.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMessageValidator, RULES } from './validate.ts';
import { C2S, type Msg, note, ok, req, S2C, summary } from './validate-exchange-fixture.ts';

const Rules = suite('JSON-RPC rules the schemas cannot state');

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

Rules.run();
