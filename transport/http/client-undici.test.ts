// The transport's default way to the server (undici's dispatcher, no fetch) against bare
// node:http servers on 127.0.0.1:0: bodies, aborts, holding back a body nobody reads yet,
// and redirects followed only when a 3xx arrives.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Exchange, Exchanger, ClientReply } from './client-exchange.ts';
import { createUndiciExchanger } from './client-undici.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Loopback {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

/** A server on 127.0.0.1:0 whose `handle` answers each request once its body arrived. */
async function loopback(handle: (req: Seen, res: ServerResponse) => void): Promise<Loopback> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { body += chunk; });
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(entry);
      handle(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A handler that never answers, and a promise of the first request reaching it. */
function requestArrival(): { handle: () => void; once: Promise<void> } {
  let arrived!: () => void;
  const once = new Promise<void>((resolve) => { arrived = resolve; });
  return { handle: () => arrived(), once };
}

async function text(reply: ClientReply): Promise<string> {
  const chunks: Buffer[] = [];
  await reply.stream((chunk) => { chunks.push(Buffer.from(chunk)); });
  return Buffer.concat(chunks).toString('utf8');
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const post = (exchanger: Exchanger, body: string, headers: Record<string, string> = {}): Exchange =>
  exchanger.send({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

const bodies = suite('bodies go straight to the consumer');

bodies('status, headers and body; chunks that came before the consumer are handed over first', async () => {
  let sent!: () => void;
  const bodySent = new Promise<void>((resolve) => { sent = resolve; });
  const server = await loopback((req, res) => {
    res.writeHead(201, 'Made', { 'content-type': 'application/json', 'x-twice': ['a', 'b'] });
    res.end(`{"got":${JSON.stringify(req.body)}}`, sent);
  });
  const exchanger = createUndiciExchanger(`${server.url}/mcp?x=1`);
  const exchange = post(exchanger, 'hello');
  const reply = await exchange.head;
  assert.is(reply.status, 201);
  assert.is(reply.statusText, 'Made');
  assert.is(reply.header('content-type'), 'application/json');
  assert.is(reply.header('x-twice'), 'a, b');
  assert.is(reply.header('x-absent'), undefined);
  await bodySent; // the server wrote the whole body before anyone reads it
  assert.is(await text(reply), '{"got":"hello"}');
  assert.is(server.seen[0]!.url, '/mcp?x=1');
  assert.is(server.seen[0]!.method, 'POST');
  assert.is(await rejection(reply.stream(() => {})) instanceof Error, true, 'a body is read once');
  await exchanger.close();
  await server.close();
});

bodies('a body that arrived whole with its head is taken at once, and only once', async () => {
  let release!: () => void;
  const later = new Promise<void>((resolve) => { release = resolve; });
  const server = await loopback((req, res) => {
    if (req.url === '/whole') return void res.writeHead(200, { 'content-length': '5' }).end('whole');
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('part ');
    void later.then(() => res.end('rest'));
  });
  const exchanger = createUndiciExchanger(`${server.url}/whole`);
  const whole = exchanger.send({ method: 'GET', headers: {} });
  const wholeReply = await whole.head;
  assert.ok(whole.ended, 'head and body came in one write');
  assert.is(Buffer.concat(wholeReply.takeBody!() as Uint8Array[]).toString('utf8'), 'whole');
  assert.is(wholeReply.takeBody!(), undefined, 'taken once');
  assert.ok(await rejection(wholeReply.stream(() => {})) instanceof Error, 'a body taken is read');
  const other = createUndiciExchanger(`${server.url}/running`);
  const running = other.send({ method: 'GET', headers: {} });
  const runningReply = await running.head;
  assert.is(runningReply.takeBody!(), undefined, 'not there yet: read it as a stream');
  release();
  assert.is(await text(runningReply), 'part rest');
  await exchanger.close();
  await other.close();
  await server.close();
});

bodies('a body nobody reads yet is held back: the server waits, and nothing is lost', async () => {
  const total = 48 * 1024 * 1024;
  let finished = false;
  const server = await loopback((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const write = (): void => {
      while (sent < total) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', write);
          return;
        }
      }
      res.end(() => { finished = true; });
    };
    write();
  });
  const exchanger = createUndiciExchanger(`${server.url}/big`);
  const exchange = exchanger.send({ method: 'GET', headers: {} });
  const reply = await exchange.head;
  // A check that something does NOT happen needs time: 300 ms in which an unpaused client
  // would take all 48 MiB (loopback moves that in well under 100 ms).
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.not.ok(finished, 'the server could not write it all while nobody read');
  let received = 0;
  await reply.stream((chunk) => { received += chunk.byteLength; });
  assert.is(received, total);
  await exchanger.close();
  await server.close();
});

bodies('a consumer that throws stops the body, and the read rejects with its error', async () => {
  const server = await loopback((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: 1\n\n'); // and never ends
  });
  const exchanger = createUndiciExchanger(server.url);
  const exchange = exchanger.send({ method: 'GET', headers: {} });
  const reply = await exchange.head;
  const boom = new Error('boom');
  assert.is(await rejection(reply.stream(() => { throw boom; })), boom);
  assert.not.ok(exchange.aborted, 'not an abort by its owner');
  await exchanger.close();
  await server.close();
});

bodies.run();

const aborts = suite('aborting an exchange at any stage');

aborts('before the head: the head rejects with the reason at once', async () => {
  const arrived = requestArrival();
  const server = await loopback(arrived.handle); // and never answers
  const exchanger = createUndiciExchanger(server.url);
  const exchange = post(exchanger, '{}');
  const reason = new Error('stop');
  await arrived.once;
  exchange.abort(reason);
  assert.is(await rejection(exchange.head), reason);
  assert.ok(exchange.aborted);
  // Aborted before it was even sent: it never reaches the server.
  const early = post(exchanger, '{}');
  early.abort(reason);
  assert.is(await rejection(early.head), reason);
  await exchanger.close();
  await server.close();
});

aborts('during the body: the read rejects with the reason; after the end, abort does nothing', async () => {
  const server = await loopback((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (req.url === '/done') res.end('data: all\n\n');
    else res.write('data: 1\n\n');
  });
  const exchanger = createUndiciExchanger(`${server.url}/open`);
  const open = exchanger.send({ method: 'GET', headers: {} });
  const reply = await open.head;
  const reason = new Error('closing');
  let chunks = 0;
  const reading = reply.stream(() => {
    chunks++;
    open.abort(reason);
  });
  assert.is(await rejection(reading), reason);
  assert.is(chunks, 1);

  const done = createUndiciExchanger(`${server.url}/done`);
  const finished = done.send({ method: 'GET', headers: {} });
  const body = await text(await finished.head);
  finished.abort(reason);
  assert.is(body, 'data: all\n\n');
  assert.not.ok(finished.aborted, 'nothing was left to abort');
  await exchanger.close();
  await done.close();
  await server.close();
});

aborts('closing the exchanger fails what is still running', async () => {
  const arrived = requestArrival();
  const server = await loopback(arrived.handle); // and never answers
  const exchanger = createUndiciExchanger(server.url);
  const exchange = post(exchanger, '{}');
  await arrived.once;
  const closing = exchanger.close();
  assert.instance(await rejection(exchange.head), Error);
  await closing;
  await server.close();
});

aborts.run();

const redirects = suite('redirects are followed when a 3xx arrives');

redirects('307 and 308 keep the method and body; 301 and 302 turn a POST into a GET', async () => {
  const server = await loopback((req, res) => {
    const status = Number(req.url.slice(1));
    if (status >= 300) {
      res.writeHead(status, { location: '/final' });
      res.end('moved');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, body: req.body }));
  });
  for (const [status, method, body] of [[307, 'POST', '{"a":1}'], [308, 'POST', '{"a":1}'], [301, 'GET', ''], [302, 'GET', '']] as const) {
    const exchanger = createUndiciExchanger(`${server.url}/${status}`);
    const reply = await post(exchanger, '{"a":1}').head;
    assert.is(reply.status, 200, `after ${status}`);
    assert.equal(JSON.parse(await text(reply)), { method, body });
    await exchanger.close();
  }
  await server.close();
});

redirects('303 becomes a GET without content headers; another origin gets no credentials', async () => {
  const other = await loopback((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('elsewhere');
  });
  const server = await loopback((req, res) => {
    if (req.url === '/see-other') res.writeHead(303, { location: '/here' }).end();
    else if (req.url === '/away') res.writeHead(307, { location: `${other.url}/there` }).end();
    else res.writeHead(200, { 'content-type': 'text/plain' }).end('here');
  });
  const exchanger = createUndiciExchanger(`${server.url}/see-other`);
  const headers = { authorization: 'Bearer t', cookie: 'c=1', 'x-keep': 'k' };
  assert.is(await text(await post(exchanger, '{}', headers).head), 'here');
  const afterSee = server.seen[1]!;
  assert.is(afterSee.method, 'GET');
  assert.is(afterSee.headers['content-type'], undefined);
  assert.is(afterSee.headers.authorization, 'Bearer t', 'same origin keeps credentials');
  const away = createUndiciExchanger(`${server.url}/away`);
  assert.is(await text(await post(away, '{}', headers).head), 'elsewhere');
  const there = other.seen[0]!;
  assert.is(there.method, 'POST');
  assert.is(there.body, '{}');
  assert.is(there.headers.authorization, undefined);
  assert.is(there.headers.cookie, undefined);
  assert.is(there.headers['x-keep'], 'k');
  await exchanger.close();
  await away.close();
  await server.close();
  await other.close();
});

redirects('a loop fails the request; past 20 redirects the 3xx itself is the reply', async () => {
  const server = await loopback((req, res) => {
    if (req.url === '/a') res.writeHead(302, { location: '/b' }).end();
    else if (req.url === '/b') res.writeHead(302, { location: '/a' }).end();
    else {
      const n = Number(req.url.slice(1));
      res.writeHead(302, { location: `/${n + 1}` }).end(`hop ${n}`);
    }
  });
  const loop = createUndiciExchanger(`${server.url}/a`);
  const error = await rejection(loop.send({ method: 'GET', headers: {} }).head);
  assert.match((error as Error).message, /redirect loop/);
  const chain = createUndiciExchanger(`${server.url}/0`);
  const reply = await chain.send({ method: 'GET', headers: {} }).head;
  assert.is(reply.status, 302);
  assert.is(reply.header('location'), '/21');
  assert.is(await text(reply), 'hop 20');
  await loop.close();
  await chain.close();
  await server.close();
});

redirects.run();

const listening = suite('a listener hears of the head instead of a head promise');

/** A listener whose outcome is a promise: the reply (and whether its body had ended) or the error. */
function listener(exchange: Exchange): Promise<{ reply?: ClientReply; ended?: boolean; error?: unknown }> {
  return new Promise((resolve) => {
    exchange.listen!({
      onHead: (reply) => resolve({ reply, ended: exchange.ended }),
      onHeadError: (error) => resolve({ error }),
    });
  });
}

listening('a reply written in one piece is heard of once its body arrived too, and taken whole', async () => {
  const server = await loopback((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"whole":true}');
  });
  const exchanger = createUndiciExchanger(`${server.url}/mcp`);
  const exchange = post(exchanger, 'hello');
  const heard = await listener(exchange);
  assert.is(heard.reply?.status, 200);
  assert.is(heard.ended, true, 'the head is told after the read that brought the body');
  const whole = heard.reply?.takeBody?.();
  assert.is(Buffer.concat((whole ?? []).map((c) => Buffer.from(c))).toString('utf8'), '{"whole":true}');
  await exchanger.close();
  await server.close();
});

listening('a connection refused, and an abort before the head, are heard of as errors', async () => {
  const server = await loopback(() => {});
  const url = server.url;
  await server.close();
  const exchanger = createUndiciExchanger(`${url}/mcp`);
  const refused = await listener(post(exchanger, 'nobody listens'));
  assert.ok(refused.error instanceof Error);

  const arrival = requestArrival();
  const silent = await loopback(arrival.handle);
  const waiting = createUndiciExchanger(`${silent.url}/mcp`);
  const exchange = post(waiting, 'never answered');
  const heard = listener(exchange);
  await arrival.once;
  const reason = new Error('given up');
  exchange.abort(reason);
  assert.is((await heard).error, reason, 'our own reason');
  await waiting.close();
  await exchanger.close();
  await silent.close();
});

listening.run();
