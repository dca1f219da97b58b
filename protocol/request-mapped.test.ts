import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPeer } from './peer.ts';
import type { MethodSpec, SideMaps } from './methods.ts';
import type { Transport, TransportHandlers } from './transport.ts';
import type { JsonRpcMessage, JsonRpcRequest } from './jsonrpc.ts';
import { LocalErrorCode, McpError, RpcError } from './errors.ts';

interface Side extends SideMaps {
  outRequests: { add: MethodSpec<{ x: number; y: number }, { sum: number }> };
  inRequests: object;
  outNotifications: object;
  inNotifications: object;
}

/** A transport whose far side answers `add` (an error for x < 0) in a later microtask. */
function answering(): Transport {
  let handlers: TransportHandlers | undefined;
  return {
    async start(h) { handlers = h; },
    async send(message: JsonRpcMessage | JsonRpcMessage[]) {
      const { id, params } = message as JsonRpcRequest & { params: { x: number; y: number } };
      const reply = params.x < 0 ? { jsonrpc: '2.0', id, error: { code: -32602, message: 'negative' } } : { jsonrpc: '2.0', id, result: { sum: params.x + params.y } };
      queueMicrotask(() => handlers?.onMessage(reply));
    },
    async close() { handlers?.onClose(); },
  };
}

async function connected() {
  const peer = createPeer<Side>();
  await peer.connect(answering());
  return peer;
}

const never = (): Promise<never> => { throw new Error('recover ran on a success'); };

test('map turns the result; a map that throws rejects the call and is not recovered', async () => {
  const peer = await connected();
  assert.is(await peer.request('add', { x: 2, y: 3 }, undefined, (r) => r.sum * 10, never), 50);
  let recovered = 0;
  const thrown = await peer.request('add', { x: 1, y: 1 }, undefined, () => { throw new Error('bad shape'); }, async () => { recovered += 1; return 0; })
    .catch((e: Error) => e);
  assert.instance(thrown, Error);
  assert.is((thrown as Error).message, 'bad shape');
  assert.is(recovered, 0);
});

test('an error response goes to recover, after the response\'s step, and its promise is the call\'s', async () => {
  const peer = await connected();
  const seen: unknown[] = [];
  let inStep = true;
  const value = peer.request('add', { x: -1, y: 0 }, undefined, (r) => r.sum, async (error) => { seen.push(error, inStep); return -1; });
  queueMicrotask(() => { inStep = false; });
  assert.is(await value, -1);
  assert.instance(seen[0], RpcError);
  assert.is((seen[0] as RpcError).code, -32602);
  assert.is(seen[1], false); // not run inside the engine's settle (which may be mid-teardown)
});

test('failures before sending (closed, aborted, a timeout) go to recover too', async () => {
  const aborted = new AbortController();
  aborted.abort();
  const peer = await connected();
  const codes: string[] = [];
  const recover = async (error: unknown) => { codes.push((error as McpError).code); return 0; };
  await peer.request('add', { x: 1, y: 1 }, { signal: aborted.signal }, (r) => r.sum, recover);
  const silent = createPeer<Side>();
  await silent.connect({ async start() {}, async send() {}, async close() {} });
  await silent.request('add', { x: 1, y: 1 }, { timeoutMs: 5 }, (r) => r.sum, recover);
  await peer.close();
  await peer.request('add', { x: 1, y: 1 }, undefined, (r) => r.sum, recover);
  assert.equal(codes, [LocalErrorCode.Aborted, LocalErrorCode.Timeout, LocalErrorCode.Closed]);
  // Without recover, the same failure rejects as before.
  const plain = await peer.request('add', { x: 1, y: 1 }).catch((e: McpError) => e.code);
  assert.is(plain, LocalErrorCode.Closed);
});

test.run();
