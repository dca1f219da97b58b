// SEP-2663 routing headers: on tasks/get, tasks/update and tasks/cancel, Mcp-Name carries
// params.taskId; a missing or different one is -32020 (2026-07-28 basic/transports/streamable-http). The
// client side (ext-tasks: the client MUST set it) is the last case.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { InboundRequest } from '../transport/http/exchange.ts';
import { checkModernHeaders } from '../transport/http/modern-headers.ts';
import { modernRequestHeaders } from '../transport/http/client-modern-headers.ts';

const test = suite('tasks-modern-headers');
const VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';

function inbound(headers: Record<string, string>): InboundRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: 'POST', path: '/mcp', header: (name: string) => lower[name] ?? null, headerRecord: () => lower, text: async () => null } as unknown as InboundRequest;
}

const params = { taskId: 'task-1', _meta: { [VERSION_KEY]: '2026-07-28' } };

for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
  test(`${method}: Mcp-Name equal to the task id passes; a different or missing one is -32020`, () => {
    const base = { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': method };
    assert.is(checkModernHeaders(inbound({ ...base, 'Mcp-Name': 'task-1' }), method, params), undefined);
    assert.is(checkModernHeaders(inbound({ ...base, 'Mcp-Name': 'task-2' }), method, params)?.code, -32020);
    assert.is(checkModernHeaders(inbound(base), method, params)?.code, -32020);
  });
}

test('the client sets Mcp-Name to the task id on every tasks/* request (base64 when not header-safe)', () => {
  for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
    const headers = modernRequestHeaders({ method, params: { ...params, inputResponses: {} } }, () => undefined);
    assert.is(headers['mcp-name'], 'task-1', method);
    assert.is(headers['mcp-method'], method);
  }
  const odd = modernRequestHeaders({ method: 'tasks/get', params: { taskId: ' spaced ' } }, () => undefined);
  assert.is(odd['mcp-name'], `=?base64?${btoa(' spaced ')}?=`);
});

test.run();
