/**
 * fastify 5: its JSON parser reads the body (`request.body`); the reply is hijacked so the
 * handler writes the raw response itself (SSE streams included).
 */
import Fastify from 'fastify';
import type { McpHttpHandler } from 'mcpwire/server';
import { endpoint, mountDefaults, type Mounted, type MountOptions } from './mounted.ts';

export async function serveWithFastify(handler: McpHttpHandler, options: MountOptions = {}): Promise<Mounted> {
  const { host, port } = { ...mountDefaults, ...options };
  const app = Fastify({ bodyLimit: 4 * 1024 * 1024 });
  app.route({
    method: ['GET', 'POST', 'DELETE'], url: '/mcp',
    handler: (request, reply) => {
      reply.hijack();
      handler.node(request.raw, reply.raw, request.body);
    },
  });
  await app.listen({ host, port });
  const address = app.server.address();
  return {
    url: endpoint(host, typeof address === 'object' && address ? address.port : port),
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}
