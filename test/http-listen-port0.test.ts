// The DNS-rebinding guard follows the port `listen` bound: a handler made before a listen on
// port 0, with no allowedHosts or with defaultAllowedHosts('127.0.0.1', 0), accepts the real
// 127.0.0.1:<port> and localhost:<port>, and still refuses a rebound name and the port 0 itself,
// in both eras.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initializeStatus } from './initialize-status.ts';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { defaultAllowedHosts, listen, type ListeningServer } from 'mcpwire/transport';
import { createClient, createHttpClientTransport } from 'mcpwire/client';


async function serve(options: Parameters<typeof createMcpHttpHandler>[1]): Promise<{ listening: ListeningServer; close(): Promise<void> }> {
  const server = createServer({ name: 'port0', version: '1' });
  server.tool({ name: 'hello', description: 'Says hello.' }, async () => 'hello');
  const handler = createMcpHttpHandler(server, { keepAliveMs: 0, ...options });
  const listening = await listen(handler, { host: '127.0.0.1', port: 0 });
  return { listening, close: async () => { await handler.close(); await listening.close(); } };
}

const test = suite('allowed hosts follow the real port of a port-0 listen');

for (const [name, options] of [
  ['no allowedHosts', {}],
  ["allowedHosts: defaultAllowedHosts('127.0.0.1', 0)", { allowedHosts: defaultAllowedHosts('127.0.0.1', 0) }],
  ['no allowedHosts, 2026-07-28 only', { eras: 'modern' as const }],
] as const) {
  test(`${name}: the bound port is accepted, a rebound name and port 0 are refused`, async () => {
    const { listening, close } = await serve(options);
    const port = listening.port;
    try {
      assert.ok(port > 0);
      assert.is(await initializeStatus(port, 'evil.example'), 403);
      assert.is(await initializeStatus(port, `evil.example:${port}`), 403);
      assert.is(await initializeStatus(port, '127.0.0.1:0'), 403);
      if (!('eras' in options)) {
        assert.is(await initializeStatus(port, `localhost:${port}`), 200);
        const client = createClient({ name: 'c', version: '1' });
        await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${port}/mcp` }));
        try {
          assert.equal((await client.callTool('hello', {})).content, [{ type: 'text', text: 'hello' }]);
        } finally { await client.close(); }
      } else {
        const client = createClient({ name: 'c', version: '1' }, { era: 'modern' });
        await client.connect(createHttpClientTransport({ url: `http://localhost:${port}/mcp` }));
        try {
          assert.equal((await client.callTool('hello', {})).content, [{ type: 'text', text: 'hello' }]);
        } finally { await client.close(); }
      }
    } finally { await close(); }
  });
}

test.run();
