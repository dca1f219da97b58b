// `mcpwire trace` of a 2026-07-28 session: the tasks extension's push (`notifications/tasks`,
// ext-tasks TaskStatusNotification; not in the core schema) is no finding, and a request the
// server sends is flagged with the rule of `mcpwire check` (modern.server-request).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TraceCorrelator, type ObserveContext, type TraceRecord } from '../index.ts';

const stdio: ObserveContext = { transport: 'stdio' };
const line = (m: unknown) => JSON.stringify(m);
const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': { extensions: { 'io.modelcontextprotocol/tasks': {} } },
  'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1' },
};

function modernSession(): { c: TraceCorrelator; records: TraceRecord[] } {
  const records: TraceRecord[] = [];
  const c = new TraceCorrelator((r) => records.push(r));
  c.observeText(line({ jsonrpc: '2.0', id: 'l1', method: 'subscriptions/listen', params: { notifications: { taskIds: ['t1'] }, _meta: META } }), 'client-to-server', stdio);
  return { c, records };
}

const ext = suite('trace: 2026-07-28 extension methods and server requests');

ext('a notifications/tasks push on a listen naming the task is no finding', () => {
  const { c, records } = modernSession();
  const task = { taskId: 't1', status: 'working', createdAt: '2026-12-06T10:00:00Z', lastUpdatedAt: '2026-12-06T10:00:01Z', ttlMs: null };
  c.observeText(line({ jsonrpc: '2.0', method: 'notifications/tasks', params: { ...task, _meta: { 'io.modelcontextprotocol/subscriptionId': 'l1' } } }), 'server-to-client', stdio);
  const push = records.find((r) => r.method === 'notifications/tasks');
  assert.ok(push, 'the push was recorded');
  assert.equal(push.findings.map((f) => `${f.id}: ${f.message}`), []);
});

ext('a JSON-RPC request from a 2026-07-28 server is modern.server-request', () => {
  const { c, records } = modernSession();
  c.observeText(line({ jsonrpc: '2.0', id: 'srv-1', method: 'roots/list' }), 'server-to-client', stdio);
  const asked = records.find((r) => r.method === 'roots/list');
  assert.equal(asked?.findings.map((f) => f.id), ['modern.server-request']);
});

ext.run();
