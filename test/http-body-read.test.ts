// A POST's body as the Node adapter reads it (with listeners and a callback, no promise: bench
// f's answer POSTs): whole, split anywhere, over maxBodyBytes without a Content-Length (413),
// not UTF-8 (400 -32700), and cut off by a client that hangs up (reported once, nothing
// answered, the server serving on). Raw sockets on 127.0.0.1, port 0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';

const LIMIT = 1024;
const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
const PING = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping', params: { _meta: { note: 'tëst' } } });

/** The server; `reported` settles at its first onError report; `listenerErrors`: the listener's own reports. */
async function serve(): Promise<{ port: number; errors: Error[]; listenerErrors: Error[]; reported: Promise<void>; close(): Promise<void> }> {
  const errors: Error[] = [];
  const listenerErrors: Error[] = [];
  let first: () => void = () => {};
  const reported = new Promise<void>((resolve) => { first = resolve; });
  const handler = createMcpHttpHandler(createServer({ name: 'body', version: '1' }), {
    keepAliveMs: 0, maxBodyBytes: LIMIT, responseMode: 'json', onError: (error) => { errors.push(error); first(); },
  });
  const listening = await listen(handler, { host: '127.0.0.1', port: 0, onError: (error) => { listenerErrors.push(error); first(); } });
  return { port: listening.port, errors, listenerErrors, reported, close: async () => { await handler.close(); await listening.close(); } };
}

/** A session's id: POSTs that carry one go to the 2025-11-25 server's own body read (not the era sniffing's). */
async function sessionOf(port: number): Promise<string> {
  const reply = await send(port, [head(port, [`Content-Length: ${Buffer.byteLength(INIT)}`]), INIT]);
  const id = /\r\nmcp-session-id: ([^\r]+)\r\n/i.exec(reply)?.[1];
  assert.ok(id, reply);
  return id;
}

function head(port: number, lines: string[]): string {
  return [`POST /mcp HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Content-Type: application/json', 'Accept: application/json, text/event-stream', 'Connection: close', ...lines, '', ''].join('\r\n');
}

/**
 * Write `parts` one by one (each after the server has had a turn to read the last), then end or,
 * with `hangUp`, destroy the socket; resolve with what the server sent before it closed. Bounded.
 */
function send(port: number, parts: Array<string | Buffer>, hangUp = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no close within 5 s: ${Buffer.concat(chunks).toString()}`)); }, 5_000);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') reject(e); });
    socket.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString('utf8')); });
    socket.once('connect', async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((next) => setTimeout(next, 20));
      }
      if (hangUp) socket.destroy();
    });
  });
}

/** Run `use` against a new server with a session open; closed after. */
async function withSession(use: (s: Awaited<ReturnType<typeof serve>>, post: (lines: string[], parts: Array<string | Buffer>, hangUp?: boolean) => Promise<string>) => Promise<void>): Promise<void> {
  const s = await serve();
  try {
    const session = await sessionOf(s.port);
    await use(s, (lines, parts, hangUp) => send(s.port, [head(s.port, [`Mcp-Session-Id: ${session}`, 'Mcp-Protocol-Version: 2025-11-25', ...lines]), ...parts], hangUp));
  } finally {
    await s.close();
  }
}

const test = suite('the Node adapter\'s POST body read');

test('a body split byte by byte, a multibyte character across two writes, is read whole', () => withSession(async (s, post) => {
  const bytes = Buffer.from(PING);
  const at = bytes.indexOf(Buffer.from('ë')) + 1; // between the two bytes of ë
  const text = await post([`Content-Length: ${bytes.length}`], [bytes.subarray(0, 5), bytes.subarray(5, at), bytes.subarray(at)]);
  assert.match(text, /^HTTP\/1\.1 200 /);
  assert.match(text, /"result":\{\}/);
  assert.match(text, /"id":2/);
  assert.equal(s.errors, []);
}));

test('a chunked body over maxBodyBytes (no Content-Length to refuse it by) gets 413, reported as nothing', () => withSession(async (s, post) => {
  const framed = `${(600).toString(16)}\r\n${'x'.repeat(600)}\r\n`;
  const text = await post(['Transfer-Encoding: chunked'], [framed, framed, framed, '0\r\n\r\n']);
  assert.match(text, /^HTTP\/1\.1 413 /);
  assert.match(text, /exceeds 1024 bytes \(maxBodyBytes\)/);
  assert.equal(s.errors, [], 'a refused body is no failure of the server\'s');
}));

test('a body that is not UTF-8 gets 400 -32700', () => withSession(async (s, post) => {
  const body = Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":1,"method":"x'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  const text = await post([`Content-Length: ${body.length}`], [body]);
  assert.match(text, /^HTTP\/1\.1 400 /);
  assert.match(text, /-32700/);
  assert.equal(s.errors, []);
}));

/** A hang-up mid-body through `post` was reported once, by the handler (not the listener), and `next` is still served. */
async function hangUpReported(s: Awaited<ReturnType<typeof serve>>, post: (lines: string[], parts: string[], hangUp?: boolean) => Promise<string>, body: string): Promise<void> {
  const text = await post(['Content-Length: 200'], [body.slice(0, 30)], true);
  assert.is(text, '', 'nothing could be answered');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([s.reported, new Promise((_, fail) => { timer = setTimeout(() => fail(new Error('nothing reported within 5 s')), 5_000); })]);
  clearTimeout(timer);
  // The next POST's whole exchange runs after any second report of the first one would have.
  const next = await post([`Content-Length: ${Buffer.byteLength(body)}`], [body]);
  assert.match(next, /^HTTP\/1\.1 200 /);
  assert.equal(s.listenerErrors, [], 'the handler reports it, as its failure');
  assert.is(s.errors.length, 1, s.errors.map((e) => e.message).join('; '));
  assert.match(s.errors[0]!.message, /the client closed the connection before its request body ended/);
}

test('a client that hangs up mid-body is reported once, and the server serves the next POST', () => withSession((s, post) => hangUpReported(s, post, PING)));

test('a POST without a session id (read to learn its era): a hang-up mid-body reported once, by the handler', async () => {
  const s = await serve();
  try {
    await hangUpReported(s, (lines, parts, hangUp) => send(s.port, [head(s.port, lines), ...parts], hangUp), INIT);
  } finally {
    await s.close();
  }
});

test('a POST without a session id, not UTF-8 or over maxBodyBytes: 400 -32700 and 413, nothing reported', async () => {
  const s = await serve();
  try {
    const bad = Buffer.concat([Buffer.from(INIT.slice(0, 40)), Buffer.from([0xff]), Buffer.from(INIT.slice(40))]);
    assert.match(await send(s.port, [head(s.port, [`Content-Length: ${bad.length}`]), bad]), /^HTTP\/1\.1 400 [^]*-32700/);
    const framed = `${(600).toString(16)}\r\n${'x'.repeat(600)}\r\n`;
    assert.match(await send(s.port, [head(s.port, ['Transfer-Encoding: chunked']), framed, framed, '0\r\n\r\n']), /^HTTP\/1\.1 413 /);
    assert.equal([...s.errors, ...s.listenerErrors], []);
  } finally {
    await s.close();
  }
});

test.run();
