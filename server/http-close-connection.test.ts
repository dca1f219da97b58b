// Closing an in-flight request's SSE connection through the HTTP handler (a test aid for
// 2025-11-25 SSE polling): the closer of each request is kept until its answer is sent.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage, MessageExtra, Transport, TransportHandlers } from '../protocol/index.ts';
import { ConnectionClosers } from './http-close-connection.ts';
import { createMcpHttpHandler } from './http.ts';
import { createServer } from './server.ts';

/** A transport of session `s1` whose inbound messages the test delivers, extra included. */
function fakeTransport() {
  let handlers: TransportHandlers | undefined;
  const delivered: unknown[] = [];
  const sent: JsonRpcMessage[] = [];
  const transport: Transport = {
    sessionId: 's1',
    async start(h) { handlers = h; },
    async send(message) { sent.push(...(Array.isArray(message) ? message : [message])); },
    async close() { handlers?.onClose(); },
  };
  return { transport, delivered, sent, deliver: (payload: unknown, extra?: MessageExtra) => handlers!.onMessage(payload, extra) };
}

const closers = suite('HTTP handler: closing the connection of an in-flight request');

closers('a request\'s closer works until its answer is sent, and not for another session or id', async () => {
  const table = new ConnectionClosers();
  const fake = fakeTransport();
  const tracked = table.track(fake.transport);
  assert.is(tracked.sessionId, 's1');
  await tracked.start({ onMessage: (p) => fake.delivered.push(p), onClose: () => {}, onError: () => {} });
  let closed = 0;
  fake.deliver({ jsonrpc: '2.0', id: 7, method: 'tools/call' }, { closeConnection: () => { closed++; return true; } });
  fake.deliver({ jsonrpc: '2.0', method: 'notifications/initialized' }, { closeConnection: () => true });
  assert.is(fake.delivered.length, 2, 'every message still reaches the session');
  assert.is(table.close('s2', 7), false);
  assert.is(table.close('s1', 8), false);
  assert.is(table.close(undefined, 7), false);
  assert.is(table.close('s1', 7), true);
  assert.is(closed, 1);
  await tracked.send({ jsonrpc: '2.0', id: 7, result: {} });
  assert.equal(fake.sent, [{ jsonrpc: '2.0', id: 7, result: {} }]);
  assert.is(table.close('s1', 7), false, 'answered: nothing left to close');
});

closers('a batch records each request; a closed session forgets its requests', async () => {
  const table = new ConnectionClosers();
  const fake = fakeTransport();
  const tracked = table.track(fake.transport);
  await tracked.start({ onMessage: () => {}, onClose: () => {}, onError: () => {} });
  fake.deliver([{ jsonrpc: '2.0', id: 1, method: 'a' }, { jsonrpc: '2.0', id: 2, method: 'b' }], { closeConnection: () => true });
  assert.is(table.close('s1', 1), true);
  assert.is(table.close('s1', 2), true);
  await tracked.close();
  assert.is(table.close('s1', 1), false);
});

closers('without closableConnections the handler closes nothing', async () => {
  const handler = createMcpHttpHandler(createServer({ name: 's', version: '1' }));
  assert.is(handler.closeConnection('any', 1), false);
  await handler.close();
});

closers.run();
