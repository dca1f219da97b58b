// The tracer's memory of a conversation is bounded: a request never answered stayed in its
// pending map for the whole trace, and every progress token and requestState it saw was kept,
// so a long trace of a busy client grew call by call. Tokens are now forgotten with their
// call's answer, and the maps keep at most `maxPending` entries (oldest forgotten).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TraceCorrelator, type ObserveContext, type TraceRecord } from 'mcpwire/conformance';

const stdio: ObserveContext = { transport: 'stdio' };
const line = (m: unknown) => JSON.stringify(m);

function correlator(maxPending?: number) {
  const records: TraceRecord[] = [];
  const c = new TraceCorrelator((r) => records.push(r), { validate: false, ...(maxPending !== undefined ? { maxPending } : {}) });
  c.observeText(line({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } }), 'client-to-server', stdio);
  c.observeText(line({ jsonrpc: '2.0', id: 0, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' } } }), 'server-to-client', stdio);
  return { c, records };
}

const bounds = suite('trace: what the correlator remembers is bounded');

bounds('past maxPending unanswered requests, the oldest is forgotten: its late answer shows unpaired', () => {
  const { c, records } = correlator(3);
  for (let id = 1; id <= 5; id++) c.observeText(line({ jsonrpc: '2.0', id, method: 'tools/list' }), 'client-to-server', stdio);
  c.observeText(line({ jsonrpc: '2.0', id: 1, result: { tools: [] } }), 'server-to-client', stdio);
  c.observeText(line({ jsonrpc: '2.0', id: 5, result: { tools: [] } }), 'server-to-client', stdio);
  const [forgotten, kept] = records.slice(-2);
  assert.ok(forgotten!.findings.some((f) => f.id === 'jsonrpc.response-correlation'), JSON.stringify(forgotten));
  assert.equal(kept!.findings, []);
  assert.match(kept!.explain, /tools/);
});

bounds('a progress token is forgotten with its call\'s answer', () => {
  const { c, records } = correlator();
  c.observeText(line({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'x', _meta: { progressToken: 'p' } } }), 'client-to-server', stdio);
  c.observeText(line({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'p', progress: 1 } }), 'server-to-client', stdio);
  assert.match(records.at(-1)!.explain, /of call 7/);
  c.observeText(line({ jsonrpc: '2.0', id: 7, result: { content: [] } }), 'server-to-client', stdio);
  c.observeText(line({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'p', progress: 2 } }), 'server-to-client', stdio);
  assert.match(records.at(-1)!.explain, /unknown request/);
});

bounds.run();
