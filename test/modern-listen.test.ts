// subscriptions/listen over both transports (2026-07-28 basic/patterns/subscriptions):
// over HTTP an SSE stream on the POST that the client ends by closing it, over stdio the same
// pipe, ended by notifications/cancelled; the server closing ends it with a
// SubscriptionsListenResult. Every message is checked against the 2026-07-28 schema.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage, Transport } from '../protocol/index.ts';
import { createMemoryPair } from '../transport/memory.ts';
import { createMessageValidator } from '../conformance/index.ts';
import { createMcpHttpHandler, serveEras } from '../server/index.ts';
import { envelope, testServer } from './modern-kit.ts';

const SUB = 'io.modelcontextprotocol/subscriptionId';
const v = createMessageValidator('2026-07-28');
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const valid = (m: unknown, direction: 'client-to-server' | 'server-to-client') => assert.equal(v.validate(m, direction), [], JSON.stringify(m));

function listenRequest(id: string) {
  return { jsonrpc: '2.0', id, method: 'subscriptions/listen', params: { notifications: { toolsListChanged: true }, _meta: envelope() } };
}

/** Reads SSE events from a response body, one JSON message at a time. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<any> {
      for (let i = 0; i < 100; i++) {
        const at = buffer.indexOf('\n\n');
        if (at >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
          if (data) return JSON.parse(data);
          continue;
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffer += decoder.decode(value, { stream: true });
      }
      throw new Error('no event');
    },
    cancel: () => reader.cancel(),
  };
}

async function noListener(publish: () => Promise<number>): Promise<void> {
  let delivered = 1;
  for (let i = 0; i < 50 && delivered > 0; i++) { await tick(); delivered = await publish(); }
  assert.is(delivered, 0, 'the stream stopped listening');
}

const Http = suite('subscriptions/listen over HTTP');

async function openListen(id: string) {
  const server = testServer();
  await tick(); // the registrations' list_changed burst goes out first
  const h = createMcpHttpHandler(server, { disableHostChecks: true });
  const message = listenRequest(id);
  valid(message, 'client-to-server');
  const res = await h.handle(new Request('http://127.0.0.1/mcp', {
    method: 'POST', body: JSON.stringify(message),
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'subscriptions/listen' },
  }));
  assert.is(res.status, 200);
  assert.is(res.headers.get('content-type'), 'text/event-stream');
  assert.is(res.headers.get('x-accel-buffering'), 'no');
  return { server, h, events: sseReader(res.body!) };
}

Http('an SSE stream on the POST: the acknowledgement, then the tagged list change; closing it stops the listener', async () => {
  const { server, h, events } = await openListen('l-1');
  const ack = await events.next();
  valid(ack, 'server-to-client');
  assert.is(ack.method, 'notifications/subscriptions/acknowledged');
  assert.is(ack.params._meta[SUB], 'l-1');
  server.tool({ name: 'added' }, () => 'x');
  const changed = await events.next();
  valid(changed, 'server-to-client');
  assert.equal([changed.method, changed.params._meta[SUB]], ['notifications/tools/list_changed', 'l-1']);
  await events.cancel();
  await noListener(() => server.events.publish({ type: 'list_changed', list: 'tools' }));
  await h.close();
});

Http('the server closing ends the stream with a SubscriptionsListenResult', async () => {
  const { h, events } = await openListen('l-2');
  await events.next();
  const closing = h.close();
  const result = await events.next();
  valid(result, 'server-to-client');
  assert.is(result.id, 'l-2');
  assert.equal([result.result.resultType, result.result._meta[SUB]], ['complete', 'l-2']);
  assert.is(await events.next(), undefined, 'the stream ended');
  await closing;
});

const Stdio = suite('subscriptions/listen over stdio');

function clientEnd(transport: Transport) {
  const inbox: any[] = [];
  const waiters: Array<(m: any) => void> = [];
  void transport.start({
    onMessage: (m) => { const w = waiters.shift(); if (w) w(m); else inbox.push(m); },
    onClose: () => {},
    onError: () => {},
  });
  return {
    inbox,
    send: (m: unknown) => transport.send(m as JsonRpcMessage),
    next: () => new Promise<any>((resolve) => { const m = inbox.shift(); if (m) resolve(m); else waiters.push(resolve); }),
  };
}

Stdio('the same pipe carries the stream beside other requests; notifications/cancelled ends it with nothing more sent', async () => {
  const server = testServer();
  await tick();
  const [c, s] = createMemoryPair();
  void serveEras(server, s);
  const client = clientEnd(c);
  await client.send(listenRequest('l-3'));
  const ack = await client.next();
  valid(ack, 'server-to-client');
  assert.is(ack.params._meta[SUB], 'l-3');
  await client.send({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' }, _meta: envelope() } });
  assert.is((await client.next()).id, 9, 'another request is answered while the stream is open');
  server.tool({ name: 'added' }, () => 'x');
  const changed = await client.next();
  valid(changed, 'server-to-client');
  assert.equal([changed.method, changed.params._meta[SUB]], ['notifications/tools/list_changed', 'l-3']);
  const cancel = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'l-3' } };
  valid(cancel, 'client-to-server');
  await client.send(cancel);
  await noListener(() => server.events.publish({ type: 'list_changed', list: 'tools' }));
  await tick();
  assert.equal(client.inbox, [], 'no result or notification after the cancel');
  await c.close();
});

Http.run();
Stdio.run();
