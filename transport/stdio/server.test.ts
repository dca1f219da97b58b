import { PassThrough } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalErrorCode, McpError, UnparsablePayload, type TransportHandlers } from '../../protocol/index.ts';
import { createStdioServerTransport } from './server.ts';

interface Recorder extends TransportHandlers {
  messages: unknown[];
  closes: (Error | undefined)[];
  errors: Error[];
}

function recorder(): Recorder {
  const r: Recorder = {
    messages: [], closes: [], errors: [],
    onMessage: (m) => r.messages.push(m),
    onClose: (e) => r.closes.push(e),
    onError: (e) => r.errors.push(e),
  };
  return r;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function setup(options: { maxLineBytes?: number; stdoutHighWaterMark?: number } = {}) {
  const stdin = new PassThrough();
  const stdout = new PassThrough(options.stdoutHighWaterMark !== undefined ? { highWaterMark: options.stdoutHighWaterMark } : {});
  const diagnostics: string[] = [];
  const transport = createStdioServerTransport({
    stdin, stdout, onDiagnostic: (t) => diagnostics.push(t),
    ...(options.maxLineBytes !== undefined ? { maxLineBytes: options.maxLineBytes } : {}),
  });
  const r = recorder();
  return { stdin, stdout, diagnostics, transport, r };
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, McpError);
    assert.is((e as McpError).code, code);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

const server = suite('stdio server transport');

server('each line is parsed; a garbage line arrives as UnparsablePayload and the next is still served', async () => {
  const { stdin, stdout, transport, r } = setup();
  await transport.start(r);
  stdin.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\nthis is not json\n{"jsonrpc":"2.0","id":');
  stdin.write('2,"method":"ping"}\r\n\n');
  await tick();
  assert.is(r.messages.length, 3);
  assert.equal(r.messages[0], { jsonrpc: '2.0', id: 1, method: 'ping' });
  assert.instance(r.messages[1], UnparsablePayload);
  assert.equal(r.messages[2], { jsonrpc: '2.0', id: 2, method: 'ping' });
  assert.is(stdout.readableLength, 0, 'the transport answered nothing itself');
  assert.equal(r.errors, []);
});

server('an oversize notification is reported once, via onError and not on the diagnostic channel too, then reading goes on', async () => {
  const { stdin, diagnostics, transport, r } = setup({ maxLineBytes: 64 });
  await transport.start(r);
  stdin.write(`{"jsonrpc":"2.0","method":"x","params":{"s":"${'a'.repeat(200)}"}}\n{"jsonrpc":"2.0","method":"ok"}\n`);
  await tick();
  assert.equal(r.messages, [{ jsonrpc: '2.0', method: 'ok' }]);
  assert.equal(diagnostics, [], 'onError is the one channel: the CLI printed both before');
  assert.is(r.errors.length, 1);
  assert.match(r.errors[0]!.message, /dropped an inbound notification: the message of \d+ bytes exceeds the limit of 64 bytes \(maxLineBytes\)/);
  assert.instance(r.errors[0], McpError);
  assert.is((r.errors[0] as McpError).code, LocalErrorCode.MessageTooLarge);
  assert.equal(r.closes, []);
});

server('the default diagnostic goes to stderr with an mcpwire: prefix', async () => {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const transport = createStdioServerTransport({ stdin, stdout, endGraceMs: 0 });
  const written: string[] = [];
  let wrote!: () => void;
  const firstWrite = new Promise<void>((resolve) => { wrote = resolve; });
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string) => { written.push(String(chunk)); wrote(); return true; }) as typeof process.stderr.write;
  try {
    await transport.start(recorder());
    stdin.end('{"jsonrpc":"2.0","id":1,"method":"ping"}\n'); // owed an answer at the end of stdin
    // The diagnostic comes once stdin has ended: awaited, not slept for (5 ms lost the race under load).
    await Promise.race([firstWrite, new Promise((_, reject) => setTimeout(() => reject(new Error('no diagnostic within 5 s')), 5_000).unref())]);
    await new Promise((resolve) => setImmediate(resolve)); // room for a second line, were there one
  } finally {
    process.stderr.write = original;
  }
  assert.is(written.length, 1);
  assert.match(written[0]!, /^mcpwire: .*\n$/);
  assert.is(stdout.readableLength, 0);
});

server('send writes one line of JSON to stdout and nothing else', async () => {
  const { stdout, transport, r } = setup();
  await transport.start(r);
  await transport.send({ jsonrpc: '2.0', id: 1, result: { text: 'line\nbreak' } });
  await transport.send([{ jsonrpc: '2.0', method: 'a' }, { jsonrpc: '2.0', method: 'b' }]);
  const out = String(stdout.read());
  assert.is(out, '{"jsonrpc":"2.0","id":1,"result":{"text":"line\\nbreak"}}\n[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":"b"}]\n');
});

server('send respects backpressure: it waits for drain', async () => {
  const { stdout, transport, r } = setup({ stdoutHighWaterMark: 64 });
  await transport.start(r);
  await transport.send({ jsonrpc: '2.0', method: 'small' }); // below the mark: resolves at once
  let settled = 0;
  const big = { jsonrpc: '2.0' as const, method: 'big', params: { s: 'x'.repeat(200) } };
  const pending = [transport.send(big), transport.send(big), transport.send(big)];
  for (const p of pending) void p.then(() => settled++);
  await tick();
  await tick();
  assert.is(settled, 0, 'no send resolves while the reader is not reading');
  let text = '';
  stdout.on('data', (d) => (text += d));
  await Promise.all(pending);
  assert.is(settled, 3);
  const lines = text.trimEnd().split('\n');
  assert.is(lines.length, 4);
  assert.equal(JSON.parse(lines[3]!), big);
});

server('a send waiting for drain rejects when the transport closes', async () => {
  const { transport, r } = setup({ stdoutHighWaterMark: 16 });
  await transport.start(r);
  const p = transport.send({ jsonrpc: '2.0', method: 'x', params: { s: 'y'.repeat(100) } });
  await tick();
  await transport.close();
  await rejectsWith(p, LocalErrorCode.Closed);
});

server('stdin EOF closes the transport once, without an error', async () => {
  const { stdin, transport, r } = setup();
  await transport.start(r);
  stdin.end('{"jsonrpc":"2.0","method":"last"}');
  await tick();
  assert.equal(r.messages, [{ jsonrpc: '2.0', method: 'last' }], 'a final unterminated line is still delivered');
  assert.equal(r.closes, [undefined]);
  await rejectsWith(transport.send({ jsonrpc: '2.0', method: 'x' }), LocalErrorCode.Closed);
  await transport.close();
  assert.is(r.closes.length, 1);
});

server('close() stops reading, removes its listeners, pauses stdin and calls onClose once', async () => {
  const { stdin, stdout, transport, r } = setup();
  const before = { data: stdin.listenerCount('data'), end: stdin.listenerCount('end'), error: stdout.listenerCount('error') };
  await transport.start(r);
  stdin.write('{"jsonrpc":"2.0","method":"a"}\n');
  await tick();
  await transport.close();
  await transport.close();
  stdin.write('{"jsonrpc":"2.0","method":"b"}\n');
  await tick();
  assert.equal(r.messages, [{ jsonrpc: '2.0', method: 'a' }]);
  assert.equal(r.closes, [undefined]);
  assert.ok(stdin.isPaused());
  assert.equal({ data: stdin.listenerCount('data'), end: stdin.listenerCount('end'), error: stdout.listenerCount('error') }, before);
  await rejectsWith(transport.send({ jsonrpc: '2.0', method: 'x' }), LocalErrorCode.Closed);
});

server('a close from inside onMessage stops delivery of the rest of the chunk', async () => {
  const { stdin, transport } = setup();
  const got: unknown[] = [];
  let closes = 0;
  await transport.start({
    onMessage(m) {
      got.push(m);
      void transport.close();
    },
    onClose: () => closes++,
    onError() {},
  });
  stdin.write('{"a":1}\n{"b":2}\n');
  await tick();
  assert.equal(got, [{ a: 1 }]);
  assert.is(closes, 1);
});

server('a stdout error closes the transport with that error', async () => {
  const { stdout, transport, r } = setup();
  await transport.start(r);
  stdout.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  await tick();
  assert.is(r.closes.length, 1);
  assert.match(String(r.closes[0]?.message), /EPIPE/);
});

server.run();
