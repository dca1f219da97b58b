// A response to one of our requests that is malformed (a non-object result, an error object
// without a numeric code, both result and error) fails that request at once with
// MCP_ERR_PROTOCOL. Before, only the peer was told (-32600) and the request waited for its
// timeout: a server's elicitation left waiting ten minutes by a client that answered
// `"result": 5` (found with a hostile client against `mcpwire serve`).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPeer } from './peer.ts';
import { recorder } from './fixtures/recorder.ts';
import type { MethodSpec, SideMaps } from './methods.ts';
import { McpError } from './errors.ts';
import { classify } from './jsonrpc.ts';

interface Side extends SideMaps {
  outRequests: { ask: MethodSpec<undefined, object> };
  inRequests: object;
  outNotifications: object;
  inNotifications: object;
}

const malformed = suite('peer: a malformed response to a pending request');

for (const [what, reply] of [
  ['a result that is not an object', { result: 5 }],
  ['a null result', { result: null }],
  ['an error without a numeric code', { error: { code: 'x', message: 'no' } }],
  ['both result and error', { result: {}, error: { code: 1, message: 'm' } }],
] as const) {
  malformed(`${what} fails the request at once with MCP_ERR_PROTOCOL`, async () => {
    const errors: Error[] = [];
    const peer = createPeer<Side>({ onError: (e) => { errors.push(e); } });
    const other = recorder();
    await peer.connect(other.transport);
    // Before the fix this ended in MCP_ERR_TIMEOUT.
    const pending = peer.request('ask', undefined, { timeoutMs: 1_000 }).then(() => undefined, (e: unknown) => e);
    await new Promise<void>((resolve) => setImmediate(resolve));
    const id = (other.sent[0] as { id: number }).id;
    other.deliver({ jsonrpc: '2.0', id, ...reply });
    const error = await pending;
    assert.instance(error, McpError);
    assert.is((error as McpError).code, 'MCP_ERR_PROTOCOL');
    assert.match((error as Error).message, new RegExp(`malformed response to request ${id}`));
    await peer.close();
  });
}

malformed('a malformed response to an id nobody waits for is only reported, as before', async () => {
  const errors: Error[] = [];
  const peer = createPeer<Side>({ onError: (e) => { errors.push(e); } });
  const other = recorder();
  await peer.connect(other.transport);
  other.deliver({ jsonrpc: '2.0', id: 77, result: 5 });
  assert.ok(errors.some((e) => /invalid message from peer/.test(e.message)));
  await peer.close();
});

malformed('classify names the request a malformed response answers, and nothing else', () => {
  assert.is((classify({ jsonrpc: '2.0', id: 3, result: 5 }) as { answers?: unknown }).answers, 3);
  assert.is((classify({ jsonrpc: '2.0', id: 'a', error: {} }) as { answers?: unknown }).answers, 'a');
  assert.is((classify({ jsonrpc: '1.0', id: 4, result: {} }) as { answers?: unknown }).answers, 4);
  assert.is((classify({ jsonrpc: '1.0', id: 5, method: 'x' }) as { answers?: unknown }).answers, undefined, 'a request answers nothing');
  assert.is((classify({ jsonrpc: '2.0', id: null, result: 5 }) as { answers?: unknown }).answers, undefined);
});

malformed.run();
