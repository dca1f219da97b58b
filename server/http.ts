/**
 * Serve an McpServer over Streamable HTTP: the glue between the transport's session
 * handler and the server's connections, including restore after a restart.
 */
// Only the server half of the HTTP transport: the transport barrel would also load the HTTP
// client (undici) and the stdio client (child_process), which a server never uses.
import { createHttpServerHandler, type HttpServerHandler } from '../transport/http/server.ts';
import type { HttpServerOptions } from '../transport/http/server-options.ts';
import type { ConnectionSnapshot, ServerConnection } from './connection.ts';
import type { McpServer } from './server.ts';

export type McpHttpOptions = Omit<HttpServerOptions, 'connect'>;

/** A `Request -> Response` handler serving `server`, one MCP connection per HTTP session. */
export function createMcpHttpHandler(server: McpServer, options: McpHttpOptions = {}): HttpServerHandler {
  return createHttpServerHandler({
    ...options,
    async connect(transport, info) {
      const save = (conn: ServerConnection) => {
        const snapshot = conn.snapshot();
        if (snapshot) info.saveState(snapshot as unknown as Record<string, unknown>).catch((e: Error) => options.onError?.(e, info.sessionId));
      };
      const restore = asSnapshot(info.restored);
      await server.connect(transport, {
        ...(restore ? { restore } : {}),
        ...(info.firstRequestId !== undefined ? { firstRequestId: info.firstRequestId } : {}),
        onInitialize: save,
        onLogLevel: save,
      });
    },
  });
}

function asSnapshot(value: Record<string, unknown> | undefined): ConnectionSnapshot | undefined {
  if (!value || typeof value.protocolVersion !== 'string' || typeof value.clientCapabilities !== 'object' || value.clientCapabilities === null) return undefined;
  return value as unknown as ConnectionSnapshot;
}
