// `mcpwire trace` flags rule breaks with the rule ids of `mcpwire check` (issue #21): the same
// RULE_CATALOG ids, with the validator's own name for what failed kept beside them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TraceCorrelator, type ObserveContext, type TraceRecord } from 'mcpwire/conformance';
import { isRuleId } from '../conformance/check/catalog.ts';

function correlator(): { c: TraceCorrelator; records: TraceRecord[] } {
  const records: TraceRecord[] = [];
  return { c: new TraceCorrelator((r) => records.push(r)), records };
}

const stdio: ObserveContext = { transport: 'stdio' };
const line = (m: unknown) => JSON.stringify(m);

function opened(c: TraceCorrelator): void {
  c.observeText(line({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } }), 'client-to-server', stdio);
  c.observeText(line({ jsonrpc: '2.0', id: 0, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' } } }), 'server-to-client', stdio);
}

const ids = suite('trace findings use the ids of mcpwire check');

ids('rule breaks carry the catalog id of the rule, and the validator\'s name for it', () => {
  const { c, records } = correlator();
  opened(c);
  c.observeText(line({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', _meta: { progressToken: 't' } } }), 'client-to-server', stdio);
  c.observeText(line({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: 5 } }), 'server-to-client', stdio);
  c.observeText(line({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: 2 } }), 'server-to-client', stdio);
  c.observeText(line({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), 'client-to-server', stdio); // id 1 again
  c.observeText(line({ jsonrpc: '2.0', id: 99, result: {} }), 'server-to-client', stdio); // answers nothing
  c.observeText(line({ jsonrpc: '2.0', id: 1, result: { content: 'not an array' } }), 'server-to-client', stdio);
  c.observeText('Server started!', 'server-to-client', stdio); // a log line on stdout
  const found = records.flatMap((r) => r.findings.map((f) => ({ seq: r.seq, ...f })));
  assert.ok(found.length > 0);
  for (const f of found) assert.ok(isRuleId(f.id), `${f.id} is a rule id of mcpwire check`);
  const idsAt = (seq: number) => found.filter((f) => f.seq === seq).map((f) => f.id);
  assert.ok(idsAt(5).includes('progress.increases'), 'progress that goes down');
  assert.ok(idsAt(6).includes('jsonrpc.id-unique'), 'a request id used twice');
  assert.ok(idsAt(7).includes('jsonrpc.response-correlation'), 'a response to no request');
  assert.ok(idsAt(8).includes('schema.message'), 'a result that breaks the schema');
  assert.ok(found.filter((f) => f.id === 'schema.message').every((f) => !f.definition.startsWith('rule:')), 'schema findings name their definition');
  assert.equal(idsAt(9), ['stdio.stdout-messages'], 'a non-JSON line on the server\'s stdout');
  assert.is(found.find((f) => f.seq === 9)!.definition, 'rule:json');
});

ids('a non-JSON HTTP body is a schema finding, not a stdio one', () => {
  const { c, records } = correlator();
  c.observeText('oops', 'server-to-client', { transport: 'http', http: { method: 'POST', exchange: 1 } });
  assert.equal(records[0]!.findings.map((f) => f.id), ['schema.message']);
});

ids.run();
