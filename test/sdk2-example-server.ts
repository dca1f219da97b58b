/**
 * A small server on the official TypeScript SDK 2.4 (`@modelcontextprotocol/server`, a
 * devDependency), written the way its documentation shows, served by mcpwire's `listen`:
 * what `mcpwire check` is run against in the interop test. Test-only.
 */
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { listen, type ListeningServer } from 'mcpwire/transport';

function build(): McpServer {
  const server = new McpServer({ name: 'sdk2-example', version: '1.0.0' });
  server.registerTool('greet', {
    description: 'Greets someone.',
    inputSchema: z.object({ name: z.string() }),
    annotations: { readOnlyHint: true },
  }, async ({ name }) => ({ content: [{ type: 'text', text: `Hello, ${name}!` }] }));
  server.registerTool('count', {
    description: 'Counts with progress.',
    inputSchema: z.object({ steps: z.number().int().min(1).max(10).optional() }),
    annotations: { readOnlyHint: true },
  }, async ({ steps }, ctx) => {
    const n = steps ?? 3;
    const token = (ctx as { mcpReq?: { _meta?: { progressToken?: unknown } } }).mcpReq?._meta?.progressToken;
    void token;
    return { content: [{ type: 'text', text: `counted to ${n}` }] };
  });
  server.registerResource('readme', 'docs://readme', { mimeType: 'text/plain' }, async (uri) => ({ contents: [{ uri: uri.href, text: 'Read me.' }] }));
  server.registerPrompt('review', { description: 'Review code.', argsSchema: z.object({ code: z.string() }) }, ({ code }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Review:\n${code}` } }],
  }));
  return server;
}

/** Serve the SDK 2.4 example on loopback port 0 (both eras: 2026-07-28 and stateless 2025). */
export async function startSdk2Server(): Promise<{ url: string; close(): Promise<void> }> {
  const handler = createMcpHandler(() => build());
  const http: ListeningServer = await listen((request) => handler.fetch(request), { port: 0 });
  return {
    url: `http://127.0.0.1:${http.port}/mcp`,
    async close() {
      await handler.close?.();
      await http.close();
    },
  };
}
