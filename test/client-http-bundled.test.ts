// test-runner: tsx (a fixture's string holds import.meta.url, which the test bundler replaces)
// The HTTP client transport in a bundle split by esbuild (issue #20 item 3): undici is not in
// what the client loads at start but in a chunk reached by import(), which the transport
// loads when it starts; calls then go through it to a server on 127.0.0.1.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { bundleClient } from './fixtures/bundle-client.ts';

const bundled = suite('client: HTTP through a lazily loaded undici chunk');

bundled('undici loads only behind import(); the bundled client initializes, calls a tool and closes over HTTP', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-bundled-'));
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } }, ({ text }) => `echo: ${text}`);
  const listening = await listen(createMcpHttpHandler(server), { port: 0 });
  try {
    const { module, atStart, later } = await bundleClient(dir);
    assert.not.ok(atStart.has('undici'), `undici loads at start: ${[...atStart].join(', ')}`);
    assert.ok(later.has('undici'), 'undici is bundled, behind import()');
    const client = module.createClient({ name: 'bundled', version: '1' });
    await client.connect(module.createHttpClientTransport({ url: `http://127.0.0.1:${listening.port}/mcp` }));
    try {
      const result = await client.callTool('echo', { text: 'split' });
      assert.equal(result.content, [{ type: 'text', text: 'echo: split' }]);
    } finally { await client.close(); }
  } finally {
    await listening.close();
    await rm(dir, { recursive: true, force: true });
  }
});

bundled.run();
