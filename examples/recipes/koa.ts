/**
 * Koa 3: the handler answers `/mcp` itself (`ctx.respond = false` tells Koa to keep out of the
 * response). Koa has no body parser by default; with one (koa-bodyparser) pass
 * `ctx.request.body` as the third argument.
 */
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { McpHttpHandler } from 'mcpwire/server';
import { endpoint, mountDefaults, type Mounted, type MountOptions } from './mounted.ts';

export async function serveWithKoa(handler: McpHttpHandler, options: MountOptions = {}): Promise<Mounted> {
  const { host, port } = { ...mountDefaults, ...options };
  const app = new Koa();
  app.use(async (ctx, next) => {
    if (ctx.path !== '/mcp') return next();
    ctx.respond = false;
    handler.node(ctx.req, ctx.res);
  });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s)).once('error', reject);
  });
  return {
    url: endpoint(host, (server.address() as AddressInfo).port),
    close: () => new Promise((done) => { server.close(() => done()); server.closeAllConnections(); }),
  };
}
