// A 2024-11-05 HTTP+SSE server built on the official SDK 1.32's deprecated SSEServerTransport,
// as servers still deployed are: GET /sse opens the stream (first event `endpoint`), POST
// /messages?sessionId=... carries the client's messages, anything else is express-style 404.
// Tools: `count` (progress), `ask` (an elicitation form). For the client fallback tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';

/** What the tests look at: the server's SSE URL and every request it saw. */
export interface SdkSseServer {
  readonly url: string;
  readonly seen: Array<{ method: string; path: string }>;
  /** Resolves once no SSE session is open (each ends when its stream closes). */
  drained(): Promise<void>;
  close(): Promise<void>;
}

function mcpServer(): McpServer {
  const server = new McpServer({ name: 'sdk-sse-server', version: '1.32.0' });
  server.registerTool('count', { description: 'Counts to three with progress.' }, async (extra) => {
    const token = extra._meta?.progressToken;
    for (let i = 1; i <= 3 && token !== undefined; i++) {
      await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: 3, message: `step ${i}` } });
    }
    return { content: [{ type: 'text', text: 'counted to 3' }] };
  });
  server.registerTool('ask', { description: 'Asks for a name.' }, async () => {
    const answer = await server.server.elicitInput({
      message: 'Who is travelling?',
      requestedSchema: { type: 'object', properties: { name: { type: 'string', title: 'Name' } }, required: ['name'] },
    });
    return { content: [{ type: 'text', text: answer.action === 'accept' ? `hello ${String(answer.content?.name)}` : answer.action }] };
  });
  return server;
}

/** Start the server on 127.0.0.1, port 0. */
export async function startSdkSseServer(): Promise<SdkSseServer> {
  const transports = new Map<string, SSEServerTransport>();
  const seen: Array<{ method: string; path: string }> = [];
  let onEmpty: (() => void) | undefined;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push({ method: req.method ?? '', path: url.pathname });
    if (req.method === 'GET' && url.pathname === '/sse') {
      const transport = new SSEServerTransport('/messages', res);
      transports.set(transport.sessionId, transport);
      res.on('close', () => {
        transports.delete(transport.sessionId);
        if (transports.size === 0) onEmpty?.();
      });
      await mcpServer().connect(transport);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/messages') {
      const transport = transports.get(url.searchParams.get('sessionId') ?? '');
      if (!transport) {
        res.writeHead(404).end('unknown session');
        return;
      }
      await transport.handlePostMessage(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/html' }).end(`Cannot ${req.method} ${url.pathname}`);
  }
  const http = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500).end(error.message);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sse`,
    seen,
    drained: () => new Promise<void>((resolve) => {
      if (transports.size === 0) resolve();
      else onEmpty = resolve;
    }),
    close: () => new Promise<void>((resolve) => {
      for (const transport of transports.values()) void transport.close();
      http.close(() => resolve());
      http.closeAllConnections();
    }),
  };
}
