/**
 * hono on `@hono/node-server`, both ways: fetch style (`handler.handle(c.req.raw)`, the same
 * code runs on Bun, Deno and workers) and Node style (the raw Node objects from `c.env`,
 * served without WHATWG objects; hono is told the response was sent).
 */
import { Hono } from 'hono';
import { serve, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { McpHttpHandler } from 'mcpwire/server';
import { endpoint, mountDefaults, type Mounted, type MountOptions } from './mounted.ts';

/** Fetch style: Request in, Response out. */
export function serveWithHonoFetch(handler: McpHttpHandler, options: MountOptions = {}): Promise<Mounted> {
  const app = new Hono();
  app.all('/mcp', (c) => handler.handle(c.req.raw));
  return start(app.fetch, options);
}

/** Node style: the handler writes the Node response (hono has not read the body). */
export function serveWithHonoNode(handler: McpHttpHandler, options: MountOptions = {}): Promise<Mounted> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.all('/mcp', (c) => {
    handler.node(c.env.incoming, c.env.outgoing);
    return RESPONSE_ALREADY_SENT;
  });
  return start(app.fetch, options);
}

function start(fetch: (request: Request, env: HttpBindings) => Response | Promise<Response>, options: MountOptions): Promise<Mounted> {
  const { host, port } = { ...mountDefaults, ...options };
  return new Promise((resolve) => {
    const server = serve({ fetch: fetch as never, hostname: host, port }, (info) => {
      resolve({
        url: endpoint(host, info.port),
        close: () => new Promise((done) => {
          server.close(() => done());
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        }),
      });
    });
  });
}
