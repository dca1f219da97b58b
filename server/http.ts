/**
 * Serve an McpServer over Streamable HTTP: the glue between the transport's session
 * handler and the server's connections, including restore after a restart.
 */
import { createHttpServerHandler, type HttpServerHandler, type HttpServerOptions } from '../transport/index.ts';
import type { ClientCapabilities, Implementation } from '../protocol/index.ts';
import type { ConnectionSnapshot, ServerConnection } from './connection.ts';
import { isLoggingLevel } from './logging.ts';
import type { McpServer } from './server.ts';

export type McpHttpOptions = Omit<HttpServerOptions, 'connect'>;

/** A `Request -> Response` handler serving `server`, one MCP connection per HTTP session. */
export function createMcpHttpHandler(server: McpServer, options: McpHttpOptions = {}): HttpServerHandler {
  return createHttpServerHandler({
    ...options,
    async connect(transport, info) {
      const save = (conn: ServerConnection) => {
        const snapshot = conn.snapshot();
        if (snapshot) info.saveState({ ...snapshot }).catch((e: Error) => options.onError?.(e, info.sessionId));
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

/** The connection snapshot an earlier process saved, read field by field; undefined when unusable. */
function asSnapshot(value: Record<string, unknown> | undefined): ConnectionSnapshot | undefined {
  const caps = value?.clientCapabilities;
  if (!value || typeof value.protocolVersion !== 'string' || typeof caps !== 'object' || caps === null) return undefined;
  // Capabilities and client info are the client's own JSON, saved as received.
  const snapshot: ConnectionSnapshot = { protocolVersion: value.protocolVersion, clientCapabilities: caps as ClientCapabilities };
  const info = value.clientInfo as Partial<Implementation> | null | undefined;
  if (typeof info?.name === 'string' && typeof info.version === 'string') snapshot.clientInfo = info as Implementation;
  if (isLoggingLevel(value.logLevel)) snapshot.logLevel = value.logLevel;
  return snapshot;
}
