/**
 * The hard walk's server (test/support/peer-hard.ts) for peers' clients in other processes:
 * `stdio` serves both eras on stdin/stdout (`serveEras`); `http` listens on a loopback port and
 * prints `listening on URL`. Test-only (the Python walk, test/interop-python/hard.ts).
 */
import { createMcpHttpHandler, serveEras } from 'mcpwire/server';
import { createStdioServerTransport, listen } from 'mcpwire/transport';
import { hardServer } from './support/peer-hard.ts';

const { server } = hardServer();
if (process.argv[2] === 'http') {
  const holder: { handler?: ReturnType<typeof createMcpHttpHandler> } = {};
  const listening = await listen({ exchange: (r) => holder.handler!.exchange(r) }, { port: 0, host: '127.0.0.1' });
  holder.handler = createMcpHttpHandler(server, { allowedHosts: [`127.0.0.1:${listening.port}`] });
  console.log(`listening on http://127.0.0.1:${listening.port}/mcp`);
} else {
  await serveEras(server, createStdioServerTransport());
}
