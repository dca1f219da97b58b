// PeerOptions.requestHandler: a peer finds handlers it has none registered for through
// its options (how a server serves every connection from one method table).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPeer } from './peer.ts';
import { recorder } from './fixtures/recorder.ts';
import type { MethodSpec, SideMaps } from './methods.ts';
import type { JsonRpcMessage } from './jsonrpc.ts';
import { ErrorCode } from './errors.ts';

interface Side extends SideMaps {
  outRequests: { own: MethodSpec<undefined, { by: string }>; shared: MethodSpec<undefined, { by: string }>; missing: MethodSpec<undefined, object> };
  inRequests: Side['outRequests'];
  outNotifications: object;
  inNotifications: object;
}


const resolver = suite('peer: handlers found through options.requestHandler');

resolver('registered handlers come first; the resolver serves the rest; neither means -32601; checkInbound still runs', async () => {
  const asked: string[] = [];
  const refusedFor: string[] = [];
  const session = createPeer<Side>({
    requestHandler(method) {
      asked.push(method);
      return method === 'shared' || method === 'own' ? () => ({ by: 'resolver' }) : undefined;
    },
    checkInbound(method) {
      refusedFor.push(method);
      return undefined;
    },
  });
  session.onRequest('own', () => ({ by: 'session' }));
  const peer = recorder();
  await session.connect(peer.transport);
  for (const [id, method] of [[1, 'own'], [2, 'shared'], [3, 'missing']] as const) peer.deliver({ jsonrpc: '2.0', id, method });
  // Handlers answer within microtasks; one macrotask turn later every answer is sent.
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.is(peer.sent.length, 3);
  const byId = new Map(peer.sent.map((m) => [(m as { id: number }).id, m]));
  assert.equal((byId.get(1) as { result: unknown }).result, { by: 'session' });
  assert.equal((byId.get(2) as { result: unknown }).result, { by: 'resolver' });
  assert.is((byId.get(3) as { error: { code: number } }).error.code, ErrorCode.MethodNotFound);
  assert.equal(asked, ['shared', 'missing'], 'the resolver is not asked for registered methods');
  assert.equal(refusedFor, ['own', 'shared'], 'checkInbound runs for every method that has a handler');
  await session.close();
});

resolver('a resolver or checkInbound that throws answers -32603 with the id and reports the fault; the peer goes on serving', async () => {
  const errors: Error[] = [];
  const session = createPeer<Side>({
    onError: (e) => { errors.push(e); },
    requestHandler(method) {
      if (method === 'missing') throw new TypeError('resolver bug');
      return () => ({ by: 'resolver' });
    },
    checkInbound(method) {
      if (method === 'own') throw new TypeError('check bug');
      return undefined;
    },
  });
  const peer = recorder();
  await session.connect(peer.transport);
  // Before the guard, each throw was an unhandled rejection: the process died.
  for (const [id, method] of [[1, 'missing'], [2, 'own'], [3, 'shared']] as const) peer.deliver({ jsonrpc: '2.0', id, method });
  await new Promise<void>((resolve) => setImmediate(resolve));
  const byId = new Map(peer.sent.map((m) => [(m as { id: number }).id, m as { result?: unknown; error?: { code: number } }]));
  assert.is(byId.get(1)?.error?.code, ErrorCode.InternalError);
  assert.is(byId.get(2)?.error?.code, ErrorCode.InternalError);
  assert.equal(byId.get(3)?.result, { by: 'resolver' });
  assert.equal(errors.map((e) => e.message), ['resolver bug', 'check bug']);
  await session.close();
});

resolver.run();
