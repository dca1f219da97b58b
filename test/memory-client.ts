// Connect our client to a server over the in-memory pair, every message through the schema
// tap (test/harness.ts), recording the notifications the client hears.
import { createClient, type ClientOptions, type McpClient } from 'mcpwire/client';
import type { McpServer, ServerConnection } from 'mcpwire/server';
import { linkedPair, type Tapped } from './harness.ts';

export interface Heard {
  method: string;
  params: Record<string, unknown> | undefined;
}

export interface Connected {
  client: McpClient;
  conn: ServerConnection;
  taps: Tapped;
  /** Every notification heard so far (resources, prompts, tools, ...), in order. */
  heard: Heard[];
  /** Resolves with the next notification of `method` heard from now on. */
  next(method: string): Promise<Heard>;
  /** A round trip: everything the server sent before it has arrived once this resolves. */
  settle(): Promise<void>;
  /** Close the client and check every message against the spec schema. */
  close(): Promise<void>;
}

export async function connectClient(server: McpServer, opts: { version?: string; client?: ClientOptions } = {}): Promise<Connected> {
  const heard: Heard[] = [];
  const waiters: Array<{ method: string; resolve: (h: Heard) => void }> = [];
  const { clientTransport, serverTransport, taps } = linkedPair();
  const client = createClient({ name: 'test-client', version: '1.0.0' }, {
    ...opts.client,
    ...(opts.version ? { protocolVersion: opts.version } : {}),
    onNotification(method, params) {
      const h = { method, params };
      heard.push(h);
      for (let i = waiters.length - 1; i >= 0; i--) {
        const w = waiters[i]!;
        if (w.method !== method) continue;
        waiters.splice(i, 1);
        w.resolve(h);
      }
      opts.client?.onNotification?.(method, params);
    },
  });
  const connP = server.connect(serverTransport);
  await client.connect(clientTransport);
  const conn = await connP;
  await client.ping(); // the server has now seen notifications/initialized: the connection is ready
  return {
    client, conn, taps, heard,
    next: (method) => new Promise((resolve) => { waiters.push({ method, resolve }); }),
    settle: () => client.ping(),
    async close() {
      await client.close();
      taps.assertClean();
    },
  };
}
