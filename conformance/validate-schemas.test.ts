// Whole exchanges validate clean per version; corrupted ones name the right definition.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpError } from 'mcpwire/protocol';
import { resolveSchemaDir } from './schema.ts';
import { validateAs } from './validate.ts';
import { C2S, LEGACY, legacyExchange, type Msg, ok, req, run, S2C, type Step, summary } from './validate-exchange-fixture.ts';

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

const Whole = suite('validation as a whole');

Whole('validation never changes the message', () => {
  const steps = legacyExchange('2025-11-25');
  const before = JSON.stringify(steps);
  run('2025-11-25', steps);
  assert.is(JSON.stringify(steps), before);
});

Whole('validateAs checks one definition directly', () => {
  assert.equal(validateAs('2025-11-25', 'Tool', { name: 't', inputSchema: { type: 'object' } }), []);
  const [v] = validateAs('2025-11-25', 'Tool', { name: 't' });
  assert.is(v?.definition, 'Tool');
  assert.is(v?.direction, undefined);
  assert.match(v?.detail ?? '', 'inputSchema');
  assert.throws(() => validateAs('2025-11-25', 'Nope', {}), (e: unknown) => e instanceof McpError);
  assert.throws(() => validateAs('1999-01-01', 'Tool', {}), (e: unknown) => e instanceof McpError);
});

Whole.run();
