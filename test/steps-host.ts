/**
 * What the host's kill-window tests share: a Streamable HTTP server on a free loopback port
 * serving one tool, the host connection's spec for it, and a connection on a given store.
 */
import { createServer } from 'mcpwire/server';
import { listen, type ListeningServer } from 'mcpwire/transport';
import type { ResumeStore } from 'mcpwire/client';
import { createHttpServerHandler } from '../transport/http/server.ts';
import { createConnection } from '../host/connection.ts';
import type { Connection, ConnectionEvents } from '../host/connection-types.ts';
import type { ServerSpec } from '../host/config.ts';

const noop = () => undefined;
/** Host events that refuse every question and print nothing. */
export const quietEvents: ConnectionEvents = { elicit: async () => ({ action: 'cancel' }), sample: async () => { throw new Error('no'); }, log: noop, resourceUpdated: noop, notice: noop, debug: noop };

/** A promise and its resolver. */
export function signal<T = void>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

type ToolContext = { progress(progress: number, total?: number, message?: string): Promise<void> };

/** A server whose one tool `tool` runs `run`; `close()` stops its handler and its listener. */
export async function oneToolServer(tool: string, description: string, run: (ctx: ToolContext) => Promise<string>): Promise<{ spec: ServerSpec; close(): Promise<void> }> {
  const server = createServer({ name: 'steps-host', version: '1' });
  server.tool({ name: tool, description }, async (_args, ctx) => run(ctx));
  const handler = createHttpServerHandler({ keepAliveMs: 0, connect: async (t) => { await server.connect(t); } });
  const listening: ListeningServer = await listen(handler, { port: 0 });
  return {
    spec: { name: 's', kind: 'http', url: `http://127.0.0.1:${listening.port}/mcp`, headers: {} },
    async close() {
      await handler.close();
      await listening.close();
    },
  };
}

/** A host connection to `spec` keeping its calls in `store`. */
export function hostConnection(spec: ServerSpec, store: ResumeStore, events: ConnectionEvents = quietEvents): Connection {
  return createConnection({ spec, store, logLevel: 'info', callTimeoutMs: 60_000, events });
}
