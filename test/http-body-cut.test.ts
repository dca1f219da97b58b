// A client that goes away in the middle of a POST body: `listen`'s exchange reading the body
// (transport/http/node-exchange.ts NodeRequest.readText) settles, the failure is reported once
// through the handler's `onError`, and the server goes on answering. The body reader listens for 'close'
// only (no 'error' listener): Node emits a request's 'error' only to listeners, and 'close'
// follows every destroy, so the cut must still be seen.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { request } from 'undici';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'cut', version: '1' } } });

const test = suite('listen: a POST body cut by the client');

test('the body read settles and is reported once; the next request is answered', async () => {
  const errors: Error[] = [];
  let reported: () => void = () => {};
  const seen = new Promise<void>((resolve) => { reported = resolve; });
  // The handler reports it (the failure of its read, as a session's POST's is): not the listener.
  const listenerErrors: Error[] = [];
  const handler = createMcpHttpHandler(createServer({ name: 'cut', version: '1' }), { keepAliveMs: 0, responseMode: 'json', onError: (e) => { errors.push(e); reported(); } });
  const listening = await listen(handler, { host: '127.0.0.1', port: 0, onError: (e) => { listenerErrors.push(e); reported(); } });
  try {
    const socket = connect(listening.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    socket.on('error', () => {}); // a reset from the server after the cut is expected
    socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${listening.port}\r\nContent-Type: application/json\r\n`
      + `Accept: application/json, text/event-stream\r\nContent-Length: ${INIT.length}\r\n\r\n${INIT.slice(0, 20)}`);
    // Cut once the server has the head and part of the body (its reader is listening by then).
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.destroy();
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref());
    assert.is.not(await Promise.race([seen, timeout]), 'timeout', 'the cut body was never reported: its read hangs');
    assert.is(errors.length, 1, errors.map((e) => e.message).join('; '));
    assert.equal(listenerErrors, []);
    const res = await request(`http://127.0.0.1:${listening.port}/mcp`, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: INIT,
      headersTimeout: 5_000, bodyTimeout: 5_000,
    });
    assert.is(res.statusCode, 200);
    assert.match(await res.body.text(), /"protocolVersion":"2025-11-25"/);
  } finally {
    await handler.close();
    await listening.close();
  }
});

test.run();
