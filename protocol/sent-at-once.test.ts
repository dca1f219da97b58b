/**
 * A message the transport hands on at once (`send` returns SENT) costs the peer no promise of
 * its own: `notify()` and a handler's `progress()` return SENT itself, and `request()` chains
 * no rejection handler to it (bench d and f: per notification and per question). Refusals
 * still arrive as rejections, never as throws.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPeer } from './peer.ts';
import type { MethodSpec, SideMaps } from './methods.ts';
import { SENT, type Transport, type TransportHandlers } from './transport.ts';
import type { JsonRpcMessage } from './jsonrpc.ts';
import { McpError } from './errors.ts';

interface Side extends SideMaps {
  outRequests: { ask: MethodSpec<undefined, { answer: string }>; work: MethodSpec<undefined, { ok: boolean }> };
  inRequests: Side['outRequests'];
  outNotifications: { 'notifications/hello': { n: number } };
  inNotifications: Side['outNotifications'];
}

/** A transport that writes at once: every send returns SENT; `then` counts rejection handlers chained to it. */
function atOnce(): { transport: Transport; sent: JsonRpcMessage[]; handlers(): TransportHandlers } {
  const sent: JsonRpcMessage[] = [];
  let h: TransportHandlers | undefined;
  return {
    sent,
    handlers: () => h!,
    transport: {
      async start(handlers) { h = handlers; },
      send(message) {
        sent.push(...(Array.isArray(message) ? message : [message]));
        return SENT;
      },
      async close() { h?.onClose(); },
    },
  };
}

test('notify() returns the transport\'s SENT as it is, and a refusal as a rejection', async () => {
  const peer = createPeer<Side>();
  const t = atOnce();
  await peer.connect(t.transport);
  assert.is(peer.notify('notifications/hello', { n: 1 }), SENT);
  assert.equal(t.sent, [{ jsonrpc: '2.0', method: 'notifications/hello', params: { n: 1 } }]);
  await peer.close();
  let thrown: unknown;
  let refused: Promise<void> | undefined;
  try {
    refused = peer.notify('notifications/hello', { n: 2 });
  } catch (error) {
    thrown = error;
  }
  assert.is(thrown, undefined);
  const error = await refused!.then(() => undefined, (e: unknown) => e);
  assert.instance(error, McpError);
  assert.match((error as Error).message, /cannot send notifications\/hello: session is closed/);
});

test('a handler\'s progress() returns SENT when written at once; a value that does not increase rejects', async () => {
  const peer = createPeer<Side>();
  const t = atOnce();
  await peer.connect(t.transport);
  const seen: unknown[] = [];
  let finish!: () => void;
  peer.onRequest('work', (_params, ctx) => new Promise((resolve) => {
    seen.push(ctx.progress(1, 2));
    seen.push(ctx.progress(1, 2).then(() => undefined, (e: unknown) => e));
    finish = () => resolve({ ok: true });
  }));
  t.handlers().onMessage({ jsonrpc: '2.0', id: 7, method: 'work', params: { _meta: { progressToken: 'p' } } });
  await new Promise((r) => setImmediate(r));
  assert.is(seen[0], SENT);
  assert.instance(await seen[1], RangeError);
  assert.equal(t.sent[0], { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'p', progress: 1, total: 2 } });
  finish();
  await new Promise((r) => setImmediate(r));
  // The request is answered: progress after it is dropped (2025-11-25 basic/utilities/progress), settled.
  assert.equal(t.sent.at(-1), { jsonrpc: '2.0', id: 7, result: { ok: true } });
  await peer.close();
});

test('request() chains nothing to a SENT send: no unhandled rejection, the answer still settles it', async () => {
  const peer = createPeer<Side>();
  const t = atOnce();
  await peer.connect(t.transport);
  const thens: unknown[] = [];
  const original = SENT.then;
  // Count handlers chained to the shared SENT promise while the request is made.
  (SENT as { then: unknown }).then = function (this: Promise<void>, ...args: unknown[]) {
    thens.push(args);
    return original.apply(this, args as never);
  };
  let pending: Promise<{ answer: string }>;
  try {
    pending = peer.request('ask', undefined);
  } finally {
    delete (SENT as { then?: unknown }).then;
  }
  assert.is(thens.length, 0);
  const id = (t.sent[0] as { id: number }).id;
  t.handlers().onMessage({ jsonrpc: '2.0', id, result: { answer: 'yes' } });
  assert.equal(await pending, { answer: 'yes' });
  await peer.close();
});

test.run();
