// The Node adapter's limits that `mcpwire serve` lacked (faults20's leftover): `--max-header-count`
// (`listen({ maxHeaderCount })`: past it 431 naming the limit) and `--close-linger-ms`
// (`listen({ closeLingerMs })`: how long a connection the server closes after a 413 still
// reads). Checked as flags (bad values, with --stdio) and on the built CLI. Loopback only.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { serveCommand } from '../bin/serve.ts';
import { usageError } from './support/usage-error.ts';
import { killed, startServe } from './serve-process.ts';

/**
 * Write `data` on a new connection; what came back and how long until the server dropped it
 * (or `boundMs`). `trickle`: then go on writing a byte every 100 ms with our side kept open
 * (half-open: the server's FIN does not close it), as a client still sending a long body
 * does; the write after the server drops the connection is reset.
 */
function sent(port: number, data: string, trickle = false, boundMs = 15_000): Promise<{ ms: number; text: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let writer: ReturnType<typeof setInterval> | undefined;
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: trickle }, () => {
      socket.write(data);
      if (trickle) writer = setInterval(() => socket.write('x'), 100);
    });
    let text = '';
    const timer = setTimeout(() => socket.destroy(), boundMs);
    socket.setEncoding('utf8').on('data', (d: string) => { text += d; });
    socket.on('error', () => { /* the reset: the close settles it */ });
    socket.once('close', () => { clearTimeout(timer); clearInterval(writer); resolve({ ms: Date.now() - started, text }); });
  });
}

const BODY = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });

/** A POST of BODY with 5 + `fill` header fields, asking to close after the answer. */
const post = (port: number, fill: number) => `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\nConnection: close\r\n${'x-f: 1\r\n'.repeat(fill)}Accept: application/json, text/event-stream\r\n\r\n${BODY}`;

const test = suite('mcpwire serve: the listen() limits as flags');

test('bad values are usage errors naming the flag; with --stdio they are refused', async () => {
  for (const flag of ['--max-header-count', '--close-linger-ms']) {
    for (const bad of ['-1', 'x', '1.5', '']) {
      assert.is(await usageError(() => serveCommand(['--http', '--port', '0', `${flag}=${bad}`])), `${flag} must be a non-negative integer, got "${bad}"`);
    }
    assert.is(await usageError(() => serveCommand(['--stdio', flag, '5'])), `${flag} goes with --http, not --stdio`);
  }
});

test('--max-header-count 10: the 11th field gets 431 naming the limit; 10 are served', async () => {
  const serve = await startServe(['--max-header-count', '10']);
  try {
    const port = Number(new URL(serve.url).port);
    const over = await sent(port, post(port, 6));
    assert.match(over.text, /^HTTP\/1\.1 431/, over.text);
    assert.match(over.text, /more than 10 header fields \(maxHeaderCount\)/);
    const within = await sent(port, post(port, 5));
    assert.match(within.text, /^HTTP\/1\.1 200/, within.text);
  } finally {
    await killed(serve.child);
  }
});

test('--close-linger-ms 3000: after a 413 the connection reads on 3 s (the default: 1 s), then closes', async () => {
  const serve = await startServe(['--max-line-bytes', '100', '--close-linger-ms', '3000']);
  try {
    const port = Number(new URL(serve.url).port);
    // A body announced over the limit, sent on and on.
    const { ms, text } = await sent(port, `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(200)}`, true);
    assert.match(text, /^HTTP\/1\.1 413/, text);
    assert.ok(ms >= 2_900 && ms < 15_000, `closed after ${ms} ms`);
  } finally {
    await killed(serve.child);
  }
});

test.run();
