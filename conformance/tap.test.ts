// The schema tap over a tiny fake transport pair: it sees both directions, never changes a
// message, follows the negotiated version, and reports what the schemas reject.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { McpError, UnparsablePayload, type JsonRpcMessage, type Transport, type TransportHandlers } from 'mcpwire/protocol';
import { resolveSchemaDir, SCHEMA_DIR_ENV } from './schema.ts';
import { createSchemaTap, type SchemaTap } from './tap.ts';
import { RULES, type Violation } from './validate.ts';

type End = 'a' | 'b';
interface FakeEnd extends Transport {
  /** Payloads this end handed to its handlers, as delivered (copies of what the peer sent). */
  readonly delivered: unknown[];
  /** Messages given to this end's send, as given. */
  readonly sent: unknown[];
  readonly versionsSet: string[];
  /** Hand a raw payload up, as a transport does with bytes it could not parse. */
  inject(payload: unknown): void;
}

/** Two linked in-memory ends; `a` is the client end, `b` the server end. */
function fakePair(): { a: FakeEnd; b: FakeEnd } {
  const handlers: Partial<Record<End, TransportHandlers>> = {};
  let closed = false;
  const ends = {} as Record<End, FakeEnd>;
  const make = (self: End, other: End): FakeEnd => ({
    delivered: [],
    sent: [],
    versionsSet: [],
    sessionId: self === 'a' ? 'session-1' : undefined,
    async start(h) {
      handlers[self] = h;
    },
    async send(message) {
      if (closed) throw new Error('closed');
      ends[self].sent.push(message);
      const copy: unknown = JSON.parse(JSON.stringify(message));
      queueMicrotask(() => {
        ends[other].delivered.push(copy);
        handlers[other]?.onMessage(copy);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      handlers.a?.onClose();
      handlers.b?.onClose();
    },
    setProtocolVersion(version) {
      ends[self].versionsSet.push(version);
    },
    inject(payload) {
      ends[self].delivered.push(payload);
      handlers[self]?.onMessage(payload);
    },
  });
  ends.a = make('a', 'b');
  ends.b = make('b', 'a');
  return ends;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const j = (m: Record<string, unknown>): JsonRpcMessage => ({ jsonrpc: '2.0', ...m }) as JsonRpcMessage;

/** A client tap on end `a`, with handlers on both ends that collect what arrives. */
async function setup(options: Partial<Parameters<typeof createSchemaTap>[1]> = {}) {
  const { a, b } = fakePair();
  const seen: Violation[] = [];
  const tap = createSchemaTap(a, { side: 'client', record: true, onViolation: (v) => seen.push(v), ...options });
  const atClient: unknown[] = [];
  const atServer: unknown[] = [];
  let clientClosed = 0;
  await tap.start({ onMessage: (p) => atClient.push(p), onClose: () => clientClosed++, onError: () => {} });
  await b.start({ onMessage: (p) => atServer.push(p), onClose: () => {}, onError: () => {} });
  return { a, b, tap, seen, atClient, atServer, closed: () => clientClosed };
}

async function initialize(tap: SchemaTap, server: Transport, asked: string, answered: string): Promise<void> {
  await tap.send(j({ id: 1, method: 'initialize', params: { protocolVersion: asked, capabilities: {}, clientInfo: { name: 'c', version: '1' } } }));
  await tick();
  await server.send(j({ id: 1, result: { protocolVersion: answered, capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' } } }));
  await tick();
  await tap.send(j({ method: 'notifications/initialized' }));
  await tick();
}

const Tap = suite('createSchemaTap');

Tap('records both directions, in order, and stays clean for a valid exchange', async () => {
  const { b, tap, atClient, atServer } = await setup({ version: '2025-11-25' });
  await initialize(tap, b, '2025-11-25', '2025-11-25');
  await tap.send(j({ id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' }, _meta: { progressToken: 7 } } }));
  await tick();
  await b.send(j({ method: 'notifications/progress', params: { progressToken: 7, progress: 0.5 } }));
  await b.send(j({ id: 'e1', method: 'elicitation/create', params: { message: 'ok?', requestedSchema: { type: 'object', properties: {} } } }));
  await tick();
  await tap.send(j({ id: 'e1', result: { action: 'decline' } }));
  await b.send(j({ id: 2, result: { content: [{ type: 'text', text: 'hi' }] } }));
  await tick();
  tap.assertClean();
  assert.equal(tap.messages.map((m) => m.direction), [
    'client-to-server', 'server-to-client', 'client-to-server', 'client-to-server',
    'server-to-client', 'server-to-client', 'client-to-server', 'server-to-client',
  ]);
  assert.equal(tap.messages.map((m) => (m.message as { method?: string }).method ?? 'response'), [
    'initialize', 'response', 'notifications/initialized', 'tools/call',
    'notifications/progress', 'elicitation/create', 'response', 'response',
  ]);
  assert.is(atClient.length, 4, 'every inbound message reached the client handler');
  assert.is(atServer.length, 4, 'every outbound message reached the server');
  assert.is(tap.protocolVersion, '2025-11-25');
});

Tap('keeps at most maxKept messages and violations; the rest are still checked, and counted', async () => {
  // A peer that floods: the tap must not grow without bound (the check drives whole sessions through it).
  const { b, tap, seen } = await setup({ version: '2025-11-25', maxKept: 4 });
  await initialize(tap, b, '2025-11-25', '2025-11-25'); // 3 messages
  for (let i = 0; i < 6; i++) await b.send(j({ method: 'notifications/progress', params: { progressToken: 'none', progress: i } }));
  await tick();
  assert.is(tap.messages.length, 4);
  assert.is(seen.length, 6, 'every stray progress was still checked and reported to onViolation');
  assert.is(tap.violations.length, 4);
  assert.equal(tap.dropped, { messages: 5, violations: 2, unvalidated: 0 });
});

Tap('validates at most maxValidated messages; the rest pass through unchecked, and are counted', async () => {
  // A flood's memory is the validation's garbage: past the bound messages are only counted.
  const { b, tap, seen, atClient } = await setup({ version: '2025-11-25', maxValidated: 5 });
  await initialize(tap, b, '2025-11-25', '2025-11-25'); // 3 messages
  for (let i = 0; i < 6; i++) await b.send(j({ method: 'notifications/progress', params: { progressToken: 'none', progress: i } }));
  await tick();
  assert.is(seen.length, 2, 'the two strays within the bound were checked');
  assert.equal(tap.dropped, { messages: 0, violations: 0, unvalidated: 4 });
  assert.is(atClient.length, 7, 'every message still reached the client (the initialize result and six progress)');
});

Tap('never changes a message: same objects in, same objects out', async () => {
  const { a, b, tap, atClient } = await setup({ version: '2025-11-25' });
  const request = j({ id: 1, method: 'ping' });
  const before = JSON.stringify(request);
  await tap.send(request);
  assert.is(a.sent[0], request, 'inner.send got the very object');
  assert.is(JSON.stringify(request), before);
  await b.send(j({ id: 1, result: {} }));
  await tick();
  assert.is(atClient[0], a.delivered[0], 'the handler got the object the transport delivered');
});

Tap('reports violations with the definition, to onViolation and assertClean', async () => {
  const { b, tap, seen, atClient } = await setup({ version: '2025-11-25' });
  await initialize(tap, b, '2025-11-25', '2025-11-25');
  await tap.send(j({ id: 2, method: 'tools/list' }));
  await tick();
  await b.send(j({ id: 2, result: { tools: [{ name: 'x' }] } }));
  await tap.send(j({ id: 3, method: 'tools/call', params: { name: 'x' } }));
  await tick();
  await b.send(j({ id: 3, result: { content: 'x' } }));
  await tick();
  assert.equal(tap.violations.map((v) => v.definition), ['ListToolsResult', 'CallToolResult']);
  assert.equal(seen, [...tap.violations]);
  assert.ok(tap.violations.every((v) => v.direction === 'server-to-client'));
  assert.is(atClient.length, 3, 'bad messages are still delivered');
  try {
    tap.assertClean();
    assert.unreachable('assertClean should throw');
  } catch (error) {
    assert.not.instance(error, assert.Assertion);
    const text = (error as Error).message;
    assert.match(text, '2 violation(s)');
    assert.match(text, 'ListToolsResult');
    assert.match(text, 'CallToolResult at /result/content');
  }
});

Tap('follows negotiation: asked version for initialize, answered version afterwards', async () => {
  const { b, tap } = await setup({ version: () => undefined });
  assert.is(tap.protocolVersion, undefined);
  await tap.send(j({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } } }));
  assert.is(tap.protocolVersion, '2025-06-18');
  await b.send(j({ id: 1, result: { protocolVersion: '2025-03-26', capabilities: {}, serverInfo: { name: 's', version: '1' } } }));
  await tick();
  assert.is(tap.protocolVersion, '2025-03-26');
  // elicitation/create exists in 2025-06-18 but not in the negotiated 2025-03-26.
  await b.send(j({ id: 's1', method: 'elicitation/create', params: { message: 'x', requestedSchema: { type: 'object', properties: {} } } }));
  await tick();
  assert.equal(tap.violations.map((v) => `${v.version} ${v.definition}`), ['2025-03-26 ServerRequest']);
});

Tap('an answered version without a schema is reported once', async () => {
  const { b, tap } = await setup({ version: '2025-11-25' });
  await tap.send(j({ id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } }));
  await b.send(j({ id: 1, result: { protocolVersion: '2030-01-01', capabilities: {}, serverInfo: { name: 's', version: '1' } } }));
  await tick();
  assert.equal(tap.violations.map((v) => v.definition), [RULES.KnownVersion]);
  assert.is(tap.protocolVersion, '2025-11-25', 'keeps checking against the asked version');
});

Tap('without initialize: the configured version, else the version named in _meta', async () => {
  const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
  for (const version of ['2026-07-28', undefined]) {
    const { b, tap } = await setup(version === undefined ? {} : { version: () => version });
    await tap.send(j({ id: 'd', method: 'server/discover', params: { _meta: meta } }));
    await tick();
    await b.send(j({ id: 'd', result: { resultType: 'complete', supportedVersions: ['2026-07-28'], capabilities: {}, ttlMs: 0, cacheScope: 'public' } }));
    await tick();
    assert.is(tap.protocolVersion, '2026-07-28');
    assert.equal(tap.violations.map((v) => v.message), [], `version option: ${version}`);
  }
  const { tap } = await setup();
  await tap.send(j({ id: 1, method: 'ping' }));
  assert.equal(tap.violations.map((v) => v.definition), [RULES.KnownVersion], 'nothing known: reported, not guessed');
});

Tap('a server-side tap swaps the directions', async () => {
  const { a, b } = fakePair();
  const tap = createSchemaTap(b, { side: 'server', version: '2025-06-18', record: true });
  await tap.start({ onMessage: () => {}, onClose: () => {}, onError: () => {} });
  await a.start({ onMessage: () => {}, onClose: () => {}, onError: () => {} });
  await a.send(j({ id: 1, method: 'tools/list' }));
  await tick();
  await tap.send(j({ id: 1, result: { tools: 'none' } }));
  assert.equal(tap.messages.map((m) => m.direction), ['client-to-server', 'server-to-client']);
  assert.equal(tap.violations.map((v) => `${v.direction} ${v.definition}`), ['server-to-client ListToolsResult']);
});

Tap('unparsable payloads pass through untouched and unchecked', async () => {
  const { a, tap, atClient } = await setup({ version: '2025-11-25' });
  const junk = new UnparsablePayload('Unexpected token');
  a.inject(junk);
  assert.is(atClient[0], junk);
  assert.equal(tap.violations, []);
  assert.equal(tap.messages, []);
});

Tap('forwards sessionId, setProtocolVersion and close', async () => {
  const { a, tap, closed } = await setup({ version: '2025-11-25', record: false });
  assert.is(tap.sessionId, 'session-1');
  tap.setProtocolVersion?.('2025-11-25');
  assert.equal(a.versionsSet, ['2025-11-25']);
  await tap.send(j({ id: 1, method: 'ping' }));
  assert.equal(tap.messages, [], 'record: false keeps nothing');
  await tap.close();
  assert.is(closed(), 1);
  await tap.close();
  assert.is(closed(), 1);
});

Tap('fails at creation, with the fix in the message, when schemas cannot be found', () => {
  const saved = process.env[SCHEMA_DIR_ENV];
  process.env[SCHEMA_DIR_ENV] = join(resolveSchemaDir(), 'missing-for-this-test');
  try {
    createSchemaTap(fakePair().a, { side: 'client', version: '2025-11-25' });
    assert.unreachable('should throw');
  } catch (error) {
    assert.instance(error, McpError);
    assert.match((error as Error).message, SCHEMA_DIR_ENV);
  } finally {
    if (saved === undefined) delete process.env[SCHEMA_DIR_ENV];
    else process.env[SCHEMA_DIR_ENV] = saved;
  }
});

Tap.run();
