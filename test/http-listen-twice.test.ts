// One handler served by two listens at once (two ports, or IPv4 and IPv6 loopback), and mounted
// under the embedder's own node:http server after its listen closed. Before: each listen replaced
// the Host names the handler accepts with its own, so the first listen's clients got 403 "Host
// ... is not allowed" once the second was bound, and a closed listen's names stayed, so the
// handler refused every request of the server it was mounted on next.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initializeStatus } from './initialize-status.ts';
import { createServer as createNodeServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { defaultAllowedHosts, listen } from 'mcpwire/transport';


const test = suite('a handler served by several listens accepts each one\'s Host, and forgets a listen that closed');

for (const [name, options] of [
  ['no allowedHosts', {}],
  ["allowedHosts: defaultAllowedHosts('127.0.0.1', 0)", { allowedHosts: defaultAllowedHosts('127.0.0.1', 0) }],
  ['no allowedHosts, 2026-07-28 only', { eras: 'modern' as const }],
] as const) {
  test(`${name}: two listens at once, then the embedder's own server`, async () => {
    const handler = createMcpHttpHandler(createServer({ name: 'twice', version: '1' }), { keepAliveMs: 0, ...options });
    const first = await listen(handler, { port: 0 });
    const second = await listen(handler, { port: 0 });
    const own = createNodeServer((req, res) => handler.node(req, res));
    try {
      const ok = options.eras === 'modern' ? 400 : 200; // a 2025 initialize to a modern-only endpoint: refused, but not by the Host check
      assert.is(await initializeStatus(first.port), ok, 'the first listen, once the second is bound');
      assert.is(await initializeStatus(second.port), ok, 'the second listen');
      assert.is(await initializeStatus(first.port, `127.0.0.1:${second.port}`), ok, 'either port names this handler');
      assert.is(await initializeStatus(first.port, 'evil.example'), 403, 'a rebound name is still refused');
      await first.close();
      assert.is(await initializeStatus(second.port), ok, 'the second, after the first closed');
      assert.is(await initializeStatus(second.port, `127.0.0.1:${first.port}`), 403, 'the closed listen\'s port is forgotten');
      await second.close();
      await new Promise<void>((done) => own.listen(0, '127.0.0.1', done));
      const port = (own.address() as AddressInfo).port;
      // Mounted with no listen: as before any listen (no Host check without allowedHosts; the given list, its port 0 unmatched, otherwise).
      assert.is(await initializeStatus(port), options.allowedHosts ? 403 : ok, 'mounted on the embedder\'s own server');
    } finally {
      await first.close();
      await second.close();
      await new Promise<void>((done) => own.close(() => done()));
      await handler.close();
    }
  });
}

test.run();
