// "JSON-RPC messages MUST be UTF-8 encoded" (2025-11-25 basic/transports; RFC 8259 section
// 8.1). A stdio line whose bytes are not UTF-8 was decoded with U+FFFD in their place, on both
// sides: a server ran `tools/call` with `"a\uFFFD(b"` for the `a\xC3(b` the client wrote, and a
// client handed up a result the server never sent. Now the server answers such a line -32700
// naming the byte, without an id (JSON-RPC 2.0 section 5: none could be read), and runs nothing; the client fails
// the request the line answers, naming the byte, and reports any other such line.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'mcpwire/server';
import { McpError, type RequestId } from '../protocol/index.ts';
import { createStdioClientTransport } from '../transport/stdio/client.ts';
import { stdioLines } from './stdio-lines.ts';

const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' } };

/** A tools/call line whose argument holds `inner` as raw bytes, and the offset of those bytes. */
function callLine(id: number, inner: number[], modern: boolean): { bytes: Buffer; at: number } {
  const head = Buffer.from(`{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"echo","arguments":{"text":"a`);
  const tail = Buffer.from(`b"}${modern ? `,"_meta":${JSON.stringify(META)}` : ''}}}\n`);
  return { bytes: Buffer.concat([head, Buffer.from(inner), tail]), at: head.length };
}

function echoServer() {
  const ran: string[] = [];
  const server = createServer({ name: 'utf8', version: '1' });
  server.tool({ name: 'echo', description: 'Echoes.', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }, (args: { text?: string }) => {
    ran.push(args.text ?? '');
    return `echo: ${args.text ?? ''}`;
  });
  return { ran, server };
}

const server = suite('stdio server: a line that is not UTF-8');

for (const modern of [false, true]) {
  server(`${modern ? '2026-07-28' : '2025-11-25'}: answered -32700 without an id, naming the byte; nothing runs; the next line is served`, async () => {
    const { ran, server: s } = echoServer();
    const { stdin, line } = await stdioLines(s, { eras: true });
    let n = 0;
    if (!modern) {
      stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`);
      assert.ok((await line(++n)).result);
      stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    }
    const bad = callLine(1, [0xc3, 0x28], modern);
    stdin.write(bad.bytes);
    const refused = await line(++n);
    // An unreadable id is left out (the MCP schema's error response has an optional id, no null).
    assert.not.ok('id' in refused, JSON.stringify(refused));
    assert.is(refused.error?.code, -32700);
    assert.is(refused.error?.message, `Parse error: the line is not valid UTF-8 (byte 0xC3 at offset ${bad.at}); JSON-RPC messages must be UTF-8`);
    // A real U+FFFD, and other multibyte text, split across writes, is served as sent.
    const good = callLine(2, [0xef, 0xbf, 0xbd, 0xc3, 0xa9], modern).bytes;
    stdin.write(good.subarray(0, bad.at + 1));
    stdin.write(good.subarray(bad.at + 1));
    const served = await line(++n);
    assert.is(served.id, 2, JSON.stringify(served));
    assert.equal(ran, ["a\uFFFDéb"], JSON.stringify(served));
    stdin.end();
    await s.close();
  });
}

server.run();

const client = suite('stdio client: a line from the server that is not UTF-8');

client('an answer that is not UTF-8 fails its request naming the byte; a notification is reported; a real U+FFFD passes', async () => {
  // The child answers request 1 with C3 28 in its result, writes a notification with a stray
  // continuation byte, and answers request 2 with a real U+FFFD.
  const script = `const rl = require('node:readline').createInterface({ input: process.stdin });
rl.on('line', (text) => {
  const m = JSON.parse(text);
  const head = Buffer.from('{"jsonrpc":"2.0","id":' + m.id + ',"result":{"v":"a');
  if (m.id === 1) {
    process.stdout.write(Buffer.concat([head, Buffer.from([0xc3, 0x28]), Buffer.from('b"}}\\n')]));
    process.stdout.write(Buffer.concat([Buffer.from('{"jsonrpc":"2.0","method":"notifications/message","params":{"x":"'), Buffer.from([0x80]), Buffer.from('"}}\\n')]));
  } else process.stdout.write(Buffer.concat([head, Buffer.from([0xef, 0xbf, 0xbd]), Buffer.from('b"}}\\n')]));
});`;
  const transport = createStdioClientTransport({ command: process.execPath, args: ['-e', script], stderr: 'ignore' });
  const received: unknown[] = [];
  const failed: Array<{ id: RequestId; error: Error }> = [];
  const errors: Error[] = [];
  let wake: (() => void) | undefined;
  /** Wait for the next report, at most 10 s (the refusal comes at once; before the fix it never came). */
  const next = (what: string) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within 10 s: failed=${failed.length} errors=${errors.length} received=${JSON.stringify(received)}`)), 10_000);
    wake = () => { clearTimeout(timer); resolve(); };
  });
  await transport.start({
    onMessage: (value) => { received.push(value); wake?.(); },
    onRequestFailed: (id, error) => { failed.push({ id, error }); wake?.(); },
    onError: (error) => { errors.push(error); wake?.(); },
    onClose: () => {},
  });
  try {
    await transport.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } });
    while (failed.length < 1 || errors.length < 1) await next('refusal');
    const at = '{"jsonrpc":"2.0","id":1,"result":{"v":"a'.length;
    assert.is(failed[0]!.id, 1);
    assert.instance(failed[0]!.error, McpError);
    assert.is((failed[0]!.error as McpError).code, 'MCP_ERR_PROTOCOL');
    assert.is(failed[0]!.error.message, `the server's answer to request 1 was refused: the line is not valid UTF-8 (byte 0xC3 at offset ${at}); JSON-RPC messages must be UTF-8`);
    assert.is(errors[0]!.message, `the server wrote a notification "notifications/message" to stdout that was refused, not answered: the line is not valid UTF-8 (byte 0x80 at offset ${'{"jsonrpc":"2.0","method":"notifications/message","params":{"x":"'.length}); JSON-RPC messages must be UTF-8`);
    assert.equal(received, [], 'nothing was handed up with U+FFFD in it');
    await transport.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'x' } });
    while (received.length < 1) await next('answer');
    assert.equal(received, [{ jsonrpc: '2.0', id: 2, result: { v: 'a\uFFFDb' } }]);
    assert.is(errors.length, 1);
  } finally {
    await transport.close();
  }
});

client.run();
