/**
 * test/support/peer-walk2.ts served to peers' clients in other processes: `stdio` serves both
 * eras on stdin/stdout; `http [modern]` listens on a loopback port (2026-07-28 only with
 * `modern`) and prints `listening on URL`. Test-only (test/interop-python/walk2.ts).
 */
import { createMcpHttpHandler, serveEras } from 'mcpwire/server';
import { createStdioServerTransport, listen } from 'mcpwire/transport';
import { walk2Server } from './support/peer-walk2.ts';

const server = walk2Server();
if (process.argv[2] === 'http') {
  const holder: { handler?: ReturnType<typeof createMcpHttpHandler> } = {};
  const listening = await listen({ exchange: (r) => holder.handler!.exchange(r) }, { port: 0, host: '127.0.0.1' });
  holder.handler = createMcpHttpHandler(server, { allowedHosts: [`127.0.0.1:${listening.port}`], ...(process.argv[3] === 'modern' ? { eras: 'modern' as const } : {}) });
  console.log(`listening on http://127.0.0.1:${listening.port}/mcp`);
} else {
  await serveEras(server, createStdioServerTransport());
}
