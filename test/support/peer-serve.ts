/**
 * How the peer walks' server processes serve (test/peer-walk*-server.ts): `http [modern|json]` on a
 * loopback port (2026-07-28 only with `modern`; legacy replies as one JSON body with `json`), printing `listening on URL`; anything else both
 * eras on stdin/stdout. Test-only.
 */
import { createMcpHttpHandler, serveEras, type McpServer, type ModernDispatcherOptions } from 'mcpwire/server';
import { createStdioServerTransport, listen } from 'mcpwire/transport';

/** What a walk's server adds over HTTP: the handler's 2026-07-28 options, a look at each request's head. */
export interface PeerHttpExtras {
  modern?: ModernDispatcherOptions;
  onRequest?: (method: string, header: (name: string) => string | null) => void;
  /** 2025-11-25 streams ended after this many ms (the client polls them back) and the retry hint sent. */
  maxConnectionMs?: number;
  retryMs?: number;
}

export async function servePeer(server: McpServer, argv: readonly string[] = process.argv.slice(2), extras: PeerHttpExtras = {}): Promise<void> {
  if (argv[0] !== 'http') {
    await serveEras(server, createStdioServerTransport());
    return;
  }
  const holder: { handler?: ReturnType<typeof createMcpHttpHandler> } = {};
  const listening = await listen({ exchange: (r) => { extras.onRequest?.(r.method, (n) => r.header(n)); return holder.handler!.exchange(r); } }, { port: 0, host: '127.0.0.1' });
  holder.handler = createMcpHttpHandler(server, {
    allowedHosts: [`127.0.0.1:${listening.port}`],
    ...(argv[1] === 'modern' ? { eras: 'modern' as const } : {}),
    ...(argv[1] === 'json' ? { responseMode: 'json' as const } : {}),
    ...(extras.modern ? { modern: extras.modern } : {}),
    ...(extras.maxConnectionMs !== undefined ? { maxConnectionMs: extras.maxConnectionMs } : {}),
    ...(extras.retryMs !== undefined ? { retryMs: extras.retryMs } : {}),
  });
  console.log(`listening on http://127.0.0.1:${listening.port}/mcp`);
}
