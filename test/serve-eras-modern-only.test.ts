// serveEras with `eras: 'modern'` (stdio serving the 2026-07-28 era only, as
// createMcpHttpHandler's `eras` does over HTTP): no message opens a 2025 connection. Before the
// option a stdio server could not be 2026-07-28-only, so `mcpwire check` could not be walked
// against one (checkwalk22's left).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { createServer, serveEras } from 'mcpwire/server';
import { createStdioServerTransport } from 'mcpwire/transport';
import { stdioLines } from './stdio-lines.ts';

const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' } };
const test = suite('serveEras, eras: modern');

test('initialize gets -32022 naming the versions served (2026-07-28 only), no 2025 connection; a 2026-07-28 request after it is served', async () => {
  const server = createServer({ name: 'modern-only', version: '1' });
  server.tool({ name: 'echo', description: 'Echoes.' }, () => 'ok');
  const { stdin, line } = await stdioLines(server, { eras: 'modern' });
  stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`);
  const refused = await line(1) as { id?: unknown; error?: { code: number; message: string; data?: unknown } };
  assert.is(refused.id, 0, JSON.stringify(refused));
  assert.is(refused.error?.code, -32022, JSON.stringify(refused));
  assert.equal(refused.error?.data, { supported: ['2026-07-28'], requested: '2025-11-25' });
  assert.is(server.connections.size, 0, 'no 2025 connection was made');
  stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: META } })}\n`);
  const listed = await line(2) as { id?: unknown; result?: { tools?: Array<{ name: string }> } };
  assert.is(listed.id, 1);
  assert.equal(listed.result?.tools?.map((t) => t.name), ['echo'], JSON.stringify(listed));
  stdin.end();
  await server.close();
});

test('a misspelt eras is refused before the transport starts', async () => {
  const server = createServer({ name: 'modern-only', version: '1' });
  const transport = createStdioServerTransport({ stdin: new PassThrough(), stdout: new PassThrough(), onDiagnostic: () => {} });
  try {
    await serveEras(server, transport, { eras: 'modren' as 'modern' });
    assert.unreachable('served');
  } catch (error) {
    assert.instance(error, RangeError);
    assert.is((error as Error).message, 'serveEras: eras must be \'both\' or \'modern\', got "modren"');
  }
  await server.close();
});

test.run();
