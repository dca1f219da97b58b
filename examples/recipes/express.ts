/**
 * express 5, with `express.json()` in front: the body parser reads the stream, so the parsed
 * body is handed on (`req.body`); without it the handler would answer 400, never hang.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { McpHttpHandler } from 'mcpwire/server';
import { endpoint, mountDefaults, type Mounted, type MountOptions } from './mounted.ts';

export async function serveWithExpress(handler: McpHttpHandler, options: MountOptions = {}): Promise<Mounted> {
  const { host, port } = { ...mountDefaults, ...options };
  const app = express();
  app.use(express.json({ limit: '4mb' }));
  app.all('/mcp', (req, res) => handler.node(req, res, req.body));
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve, reject) => {
    const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  return {
    url: endpoint(host, (server.address() as AddressInfo).port),
    close: () => new Promise((done) => { server.close(() => done()); server.closeAllConnections(); }),
  };
}
