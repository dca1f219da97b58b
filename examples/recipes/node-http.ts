/**
 * Plain `node:http`, with your own server: routes of your own beside the MCP endpoint.
 * (`listen(handler)` from mcpwire/transport does the same when the server is only MCP.)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpHttpHandler } from 'mcpwire/server';
import { endpoint, mountDefaults, type Mounted, type MountOptions } from './mounted.ts';

export async function serveWithNodeHttp(handler: McpHttpHandler, options: MountOptions = {}): Promise<Mounted> {
  const { host, port } = { ...mountDefaults, ...options };
  const server = createServer((req, res) => {
    if (req.url === '/health') res.end('ok');
    else handler.node(req, res);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, () => resolve()));
  return {
    url: endpoint(host, (server.address() as AddressInfo).port),
    close: () => new Promise((done) => { server.close(() => done()); server.closeAllConnections(); }),
  };
}
