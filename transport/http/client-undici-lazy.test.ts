// undici loads on first use (issue #20 item 3): a request sent before the module is there
// waits for it and goes out; one aborted, or whose exchanger closed, while it waits rejects
// at once with the reason and never reaches the server. The tests run in order: the first
// one runs before anything in this process loaded client-undici.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClientReply } from './client-exchange.ts';
import { createLazyUndiciExchanger, loadUndiciExchanger } from './client-undici-lazy.ts';

/** A server on 127.0.0.1:0 answering every request with its method and body; `seen` lists what reached it. */
async function echoServer() {
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { body += chunk; });
    req.on('end', () => {
      seen.push(`${req.method} ${body}`);
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.method} ${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function text(reply: ClientReply): Promise<string> {
  const chunks: Buffer[] = [];
  await reply.stream((chunk) => { chunks.push(Buffer.from(chunk)); });
  return Buffer.concat(chunks).toString('utf8');
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('it did not reject');
}

const lazy = suite('HTTP client: undici loaded on first use');

lazy('sends made before undici loaded go out once it is; aborted or closed ones reject at once and never reach the server', async () => {
  const server = await echoServer();
  try {
    const kept = createLazyUndiciExchanger(server.url);
    const closed = createLazyUndiciExchanger(server.url);
    const sent = kept.send({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'one' });
    const aborted = kept.send({ method: 'POST', headers: {}, body: 'aborted' });
    const dropped = closed.send({ method: 'POST', headers: {}, body: 'dropped' });
    const reason = new Error('not wanted');
    aborted.abort(reason);
    assert.ok(aborted.aborted);
    const closing = closed.close();
    // Both reject before undici is loaded: a rejection observed first, then the load.
    const order: string[] = [];
    const settled = Promise.all([
      rejection(aborted.head).then((e) => { order.push('aborted'); return e; }),
      rejection(dropped.head).then((e) => { order.push('dropped'); return e; }),
    ]);
    const loading = loadUndiciExchanger().then(() => { order.push('loaded'); });
    const [abortError, closeError] = await settled;
    await Promise.all([loading, closing]);
    assert.is(abortError, reason);
    assert.is(closeError.message, 'the HTTP client closed');
    assert.equal(order, ['aborted', 'dropped', 'loaded']);
    const reply = await sent.head;
    assert.is(reply.status, 200);
    assert.is(await text(reply), 'POST one');
    assert.ok(sent.ended);
    assert.equal(server.seen, ['POST one']);
    await kept.close();
  } finally { await server.close(); }
});

lazy('once loaded, an exchanger sends straight away and closing it aborts what is in flight', async () => {
  const server = await echoServer();
  try {
    await loadUndiciExchanger();
    const exchanger = createLazyUndiciExchanger(server.url);
    const reply = await exchanger.send({ method: 'GET', headers: {} }).head;
    assert.is(await text(reply), 'GET ');
    const late = exchanger.send({ method: 'POST', headers: {}, body: 'late' });
    await exchanger.close();
    assert.is((await rejection(late.head)).message, 'the HTTP client closed');
  } finally { await server.close(); }
});

lazy('a URL that does not parse fails each request, as before', async () => {
  const exchanger = createLazyUndiciExchanger('not a url');
  const error = await rejection(exchanger.send({ method: 'GET', headers: {} }).head);
  assert.instance(error, TypeError);
  await exchanger.close();
});

lazy.run();
