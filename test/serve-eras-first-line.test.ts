// Over stdio the first message decides the era (serveEras, as `mcpwire serve --stdio` serves).
// A first line that could not be read (not JSON, not UTF-8, nested past maxJsonDepth) decided
// it too: it went to a 2025 connection, so every 2026-07-28 request after it got -32600
// "tools/list before initialize" for the life of the process (found with `not json` then a
// 2026-07-28 tools/list). Now such a line is answered as both eras answer it and decides
// nothing: the next request decides, in either era.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'mcpwire/server';
import { stdioLines } from './stdio-lines.ts';

const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' } };
const deep = (k: number) => `{"jsonrpc":"2.0","id":"deep","method":"tools/list","params":${'{"a":'.repeat(k)}1${'}'.repeat(k)}}`;

const unread: Array<[string, Buffer, number, RegExp]> = [
  ['not JSON', Buffer.from('not json\n'), -32700, /^Parse error: /],
  ['not UTF-8', Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":9,"method":"x","params":{"s":"'), Buffer.from([0xff]), Buffer.from('"}}\n')]), -32700, /not valid UTF-8 \(byte 0xFF at offset 52\)/],
  ['nested past maxJsonDepth', Buffer.from(`${deep(600)}\n`), -32600, /maxJsonDepth/],
];

const test = suite('serveEras: a first line that could not be read decides no era');

for (const [what, bytes, code, message] of unread) {
  test(`${what}, then a 2026-07-28 request: answered ${code}, and the request is served statelessly`, async () => {
    const server = createServer({ name: 'first', version: '1' });
    const { stdin, line } = await stdioLines(server, { eras: true });
    stdin.write(bytes);
    const refused = await line(1);
    assert.is(refused.error?.code, code, JSON.stringify(refused));
    assert.match(refused.error?.message ?? '', message);
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: META } })}\n`);
    const served = await line(2);
    assert.is(served.id, 1);
    assert.ok(served.result, JSON.stringify(served));
    assert.is(server.connections.size, 0, 'no 2025 connection was made');
    stdin.end();
    await server.close();
  });

  test(`${what}, then initialize: a 2025 connection as before`, async () => {
    const server = createServer({ name: 'first', version: '1' });
    const { stdin, line } = await stdioLines(server, { eras: true });
    stdin.write(bytes);
    assert.is((await line(1)).error?.code, code);
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`);
    const init = await line(2);
    assert.is((init.result as { protocolVersion?: string } | undefined)?.protocolVersion, '2025-11-25', JSON.stringify(init));
    assert.is(server.connections.size, 1);
    stdin.end();
    await server.close();
  });
}

test.run();

// In the 2026-07-28 era, later lines that could not be read were taken for responses (the
// payload object passed the object test): not answered, and reported as "a 2026-07-28 client
// sent a response". A second request under an id in flight ran too, both answered under the
// same id, and a cancel of that id reached only the second.
const later = suite('serveEras, 2026-07-28 era: lines after the first');

for (const [what, bytes, code, message] of unread) {
  later(`${what}: answered ${code}, and the next request is served`, async () => {
    const server = createServer({ name: 'later', version: '1' });
    const { stdin, line } = await stdioLines(server, { eras: true });
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: META } })}\n`);
    assert.is((await line(1)).id, 1);
    stdin.write(bytes);
    const refused = await line(2);
    assert.is(refused.error?.code, code, JSON.stringify(refused));
    assert.match(refused.error?.message ?? '', message);
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: META } })}\n`);
    assert.is((await line(3)).id, 2);
    stdin.end();
    await server.close();
  });
}

later('a request under an id in flight is refused -32600; the first runs on and is answered once', async () => {
  const server = createServer({ name: 'dup', version: '1' });
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  let runs = 0;
  server.tool({ name: 'wait', description: 'Waits until released.' }, async () => {
    runs += 1;
    await held;
    return 'done';
  });
  const { stdin, line } = await stdioLines(server, { eras: true });
  const call = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'wait', _meta: META } });
  stdin.write(`${call}\n${call}\n`);
  const refused = await line(1);
  assert.is(refused.id, 7);
  assert.is(refused.error?.code, -32600, JSON.stringify(refused));
  assert.is(refused.error?.message, 'request id 7 is already in flight');
  release();
  const answered = await line(2);
  assert.is(answered.id, 7);
  assert.ok(answered.result, JSON.stringify(answered));
  assert.is(runs, 1);
  // Answered, the id is free again.
  stdin.write(`${call}\n`);
  assert.ok((await line(3)).result);
  stdin.end();
  await server.close();
});

later.run();
